import { randomBytes } from "node:crypto";
import type { FakeGitHubState, InstallationToken, Repository } from "../state.js";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export const DEFAULT_PERMISSIONS: Record<string, string> = {
  actions: "write",
  checks: "write",
  contents: "write",
  issues: "write",
  metadata: "read",
  pull_requests: "write",
};

/** Mints a `ghs_…` installation token that expires `tokenTtlMs` after now on the fake's clock. */
export function mintInstallationToken(
  state: FakeGitHubState,
  installationId: number,
  limits: { repositoryIds?: number[] | null; permissions?: Record<string, string> } = {},
): InstallationToken {
  const bytes = randomBytes(36);
  let suffix = "";
  for (const byte of bytes) suffix += ALPHABET[byte % ALPHABET.length];
  const token: InstallationToken = {
    token: `ghs_${suffix}`,
    installationId,
    expiresAt: state.now() + state.tokenTtlMs,
    repositoryIds: limits.repositoryIds ?? null,
    permissions: limits.permissions ?? { ...DEFAULT_PERMISSIONS },
  };
  state.tokens.set(token.token, token);
  return token;
}

/** The live token behind a credential, or null when unknown or expired. */
export function lookupToken(state: FakeGitHubState, credential: string | undefined): InstallationToken | null {
  if (!credential) return null;
  const token = state.tokens.get(credential);
  if (!token || token.expiresAt <= state.now()) return null;
  return token;
}

export function tokenCanSee(token: InstallationToken, repo: Repository): boolean {
  if (!repo.installed || repo.installationId !== token.installationId) return false;
  return token.repositoryIds === null || token.repositoryIds.includes(repo.id);
}

/** Splits `Authorization: token X` / `Bearer X` / `Basic …` into scheme and credential. */
export function parseAuthorization(header: string | undefined): { scheme: string; credential: string } | null {
  if (!header) return null;
  const match = /^\s*(\S+)\s+(\S+)\s*$/.exec(header);
  if (!match) return null;
  const scheme = match[1]!.toLowerCase();
  if (scheme === "basic") {
    // GitHub also takes `Basic base64(x-access-token:<token>)` on the REST API, as git sends it.
    const decoded = Buffer.from(match[2]!, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    return colon === -1 ? null : { scheme: "token", credential: decoded.slice(colon + 1) };
  }
  return { scheme, credential: match[2]! };
}
