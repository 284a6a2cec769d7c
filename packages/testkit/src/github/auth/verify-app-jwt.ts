import type { KeyObject } from "node:crypto";
import { compactVerify } from "jose";
import { GitHubHttpError } from "../http/github-http-error.js";

// GitHub's own messages; @octokit/auth-app matches the exp/iat ones to correct clock skew.
const UNDECODABLE = "A JSON web token could not be decoded";
const EXP_TOO_FAR = "'Expiration time' claim ('exp') is too far in the future";
const EXP_PAST =
  "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";
const IAT_BAD = "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued";
const CLOCK_DRIFT_S = 60;
const MAX_LIFETIME_S = 600;

/** Verifies an App JWT as GitHub does: RS256 by the App's key, `iss` = App id, iat/exp limits. */
export async function verifyAppJwt(jwt: string, publicKey: KeyObject, appId: number, nowMs: number): Promise<void> {
  let payload: Record<string, unknown>;
  try {
    const verified = await compactVerify(jwt, publicKey, { algorithms: ["RS256"] });
    payload = JSON.parse(new TextDecoder().decode(verified.payload)) as Record<string, unknown>;
  } catch {
    throw new GitHubHttpError(401, UNDECODABLE);
  }
  if (String(payload.iss) !== String(appId)) throw new GitHubHttpError(401, UNDECODABLE);
  const now = Math.floor(nowMs / 1000);
  const { iat, exp } = payload;
  if (typeof iat !== "number" || !Number.isInteger(iat) || iat > now + CLOCK_DRIFT_S) {
    throw withDate(IAT_BAD, nowMs);
  }
  if (typeof exp !== "number" || exp <= now) throw withDate(EXP_PAST, nowMs);
  if (exp - iat > MAX_LIFETIME_S || exp > now + MAX_LIFETIME_S + CLOCK_DRIFT_S) throw withDate(EXP_TOO_FAR, nowMs);
}

function withDate(message: string, nowMs: number): GitHubHttpError {
  return new GitHubHttpError(401, message, { headers: { date: new Date(nowMs).toUTCString() } });
}
