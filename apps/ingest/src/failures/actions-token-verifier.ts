import { createRemoteJWKSet, errors, type JWTVerifyGetKey, jwtVerify } from "jose";
import { z } from "zod";
import { type ActionsTokenClaims, actionsTokenClaimsSchema } from "./actions-token-claims.js";

export interface ActionsTokenVerifierOptions {
  /** GITHUB_OIDC_ISSUER: the `iss` of tokens and where the discovery document is. */
  issuer: string;
  /** GITHUB_OIDC_AUDIENCE: the required `aud`. */
  audience: string;
  /** Clock skew allowed on exp/nbf/iat, in seconds. */
  clockToleranceSec?: number;
  /** Timeout of each fetch of the discovery document or JWKS. */
  fetchTimeoutMs?: number;
  /** After a JWKS fetch, an unknown kid refetches only after this long (jose's cooldown). */
  jwksCooldownMs?: number;
  /** How long a fetched JWKS is trusted without refetching. */
  jwksMaxAgeMs?: number;
}

/** Why a token was refused, for the 401 and the log. */
export type TokenVerdict = { ok: true; claims: ActionsTokenClaims } | { ok: false; status: 401 | 503; reason: string };

const discoverySchema = z.object({ issuer: z.string(), jwks_uri: z.url() });

/**
 * Verifies GitHub Actions OIDC tokens with jose: the JWKS comes from the issuer's discovery
 * document, is cached, and is fetched again when a token names an unknown `kid` (key rotation).
 * A failure to reach the issuer is not the sender's fault: it is reported as 503.
 */
export function createActionsTokenVerifier(options: ActionsTokenVerifierOptions) {
  const issuer = options.issuer.replace(/\/+$/, "");
  const timeout = options.fetchTimeoutMs ?? 5_000;
  let jwks: JWTVerifyGetKey | undefined;
  let discovering: Promise<JWTVerifyGetKey> | undefined;

  async function discover(): Promise<JWTVerifyGetKey> {
    const response = await fetch(`${issuer}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(timeout),
      headers: { accept: "application/json" },
    });
    if (!response.ok) throw new Error(`discovery document answered ${response.status}`);
    const document = discoverySchema.parse(await response.json());
    if (document.issuer.replace(/\/+$/, "") !== issuer) {
      throw new Error(`discovery document names issuer ${document.issuer}, expected ${issuer}`);
    }
    return createRemoteJWKSet(new URL(document.jwks_uri), {
      timeoutDuration: timeout,
      cooldownDuration: options.jwksCooldownMs ?? 30_000,
      cacheMaxAge: options.jwksMaxAgeMs ?? 600_000,
    });
  }

  async function keySet(): Promise<JWTVerifyGetKey> {
    if (jwks) return jwks;
    discovering ??= discover().finally(() => {
      discovering = undefined;
    });
    jwks = await discovering;
    return jwks;
  }

  return async function verify(token: string): Promise<TokenVerdict> {
    let keys: JWTVerifyGetKey;
    try {
      keys = await keySet();
    } catch (error) {
      return { ok: false, status: 503, reason: `the OIDC issuer could not be reached: ${message(error)}` };
    }
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer,
        audience: options.audience,
        algorithms: ["RS256"],
        clockTolerance: options.clockToleranceSec ?? 60,
        requiredClaims: ["exp", "iat", "repository"],
      });
      const claims = actionsTokenClaimsSchema.safeParse(payload);
      if (!claims.success) return { ok: false, status: 401, reason: "the token lacks GitHub Actions claims" };
      return { ok: true, claims: claims.data };
    } catch (error) {
      if (error instanceof errors.JWKSTimeout || (error instanceof Error && error.name === "TypeError")) {
        return { ok: false, status: 503, reason: `the OIDC issuer's keys could not be fetched: ${message(error)}` };
      }
      return { ok: false, status: 401, reason: tokenProblem(error) };
    }
  };
}

function tokenProblem(error: unknown): string {
  if (error instanceof errors.JWTExpired) return "the token has expired";
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "aud") return "the token is not meant for this audience";
    if (error.claim === "iss") return "the token was not issued by the configured issuer";
    if (error.claim === "nbf") return "the token is not valid yet";
    return `the token's "${error.claim}" claim is invalid`;
  }
  if (error instanceof errors.JWKSNoMatchingKey) return "the token is signed with a key the issuer does not publish";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "the token's signature is invalid";
  if (error instanceof errors.JOSEAlgNotAllowed) return "the token's algorithm is not allowed";
  return "the token is malformed";
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export type ActionsTokenVerifier = ReturnType<typeof createActionsTokenVerifier>;
