import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];

import { type ActionsClaimsInput, actionsClaims } from "./actions-claims.js";

interface SigningKey {
  kid: string;
  privateKey: PrivateKey;
  publicJwk: JWK;
}

export interface MintOptions {
  /** Seconds since the epoch; default now. */
  issuedAt?: number;
  /** Lifetime in seconds from issuedAt (GitHub: about 5 minutes for the runner's request). */
  expiresIn?: number;
  /** `nbf` in seconds since the epoch; default issuedAt. */
  notBefore?: number;
  /** Overrides the issuer claim (a token from another issuer). */
  issuer?: string;
  /** Sign with a key the JWKS does not publish, under a kid it does not know. */
  unpublishedKey?: boolean;
  /** Sign with this published kid instead of the current one. */
  kid?: string;
  /** Leave out claims, e.g. ["exp"]. */
  omit?: string[];
}

export interface OidcIssuer {
  /** The `iss` of tokens and base of the discovery document. */
  readonly issuer: string;
  /** Serves `/.well-known/openid-configuration` and `/.well-known/jwks` under the issuer's path; undefined for any other request. */
  handle(request: Request): Promise<Response | undefined>;
  /** A signed token with GitHub Actions' claims; `claims` override the defaults. */
  mintToken(claims: ActionsClaimsInput, options?: MintOptions): Promise<string>;
  /** A new current signing key; the old one stays published unless `dropOld`. Returns the new kid. */
  rotateKey(options?: { dropOld?: boolean }): Promise<string>;
  /** The kid tokens are signed with now. */
  currentKid(): string;
  /** The JWKS as served. */
  jwks(): { keys: JWK[] };
  /** How many times the JWKS and the discovery document were fetched. */
  readonly fetches: { discovery: number; jwks: number };
}

export interface CreateOidcIssuerOptions {
  /** The issuer URL, e.g. `http://127.0.0.1:4010` or `http://127.0.0.1:4010/oidc` when mounted under a path. */
  issuer: string | (() => string);
  /** Default `aud` of minted tokens. */
  audience?: string;
}

async function newKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const kid = randomUUID().replace(/-/g, "").slice(0, 20);
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
  return { kid, privateKey, publicJwk };
}

/**
 * A fake of GitHub Actions' OIDC issuer (token.actions.githubusercontent.com): the discovery
 * document, the JWKS with key rotation, and tokens shaped like GitHub's. Mount `handle` in any
 * fetch-style server, or use `startOidcIssuer` for a server of its own.
 */
export async function createOidcIssuer(options: CreateOidcIssuerOptions): Promise<OidcIssuer> {
  const issuerUrl = () =>
    (typeof options.issuer === "function" ? options.issuer() : options.issuer).replace(/\/+$/, "");
  let keys: SigningKey[] = [await newKey()];
  const fetches = { discovery: 0, jwks: 0 };

  const json = (body: unknown) =>
    new Response(JSON.stringify(body), {
      status: 200,
      headers: { "content-type": "application/json; charset=utf-8", "cache-control": "public, max-age=60" },
    });

  return {
    get issuer() {
      return issuerUrl();
    },
    fetches,
    async handle(request) {
      if (request.method !== "GET" && request.method !== "HEAD") return undefined;
      const base = new URL(issuerUrl()).pathname.replace(/\/+$/, "");
      const path = new URL(request.url).pathname;
      if (path === `${base}/.well-known/openid-configuration`) {
        fetches.discovery += 1;
        const iss = issuerUrl();
        // The fields GitHub's discovery document has.
        return json({
          issuer: iss,
          jwks_uri: `${iss}/.well-known/jwks`,
          subject_types_supported: ["public", "pairwise"],
          response_types_supported: ["id_token"],
          claims_supported: [
            "sub",
            "aud",
            "exp",
            "iat",
            "iss",
            "jti",
            "nbf",
            "ref",
            "sha",
            "repository",
            "repository_id",
            "repository_owner",
            "repository_owner_id",
            "run_id",
            "run_number",
            "run_attempt",
            "actor",
            "actor_id",
            "workflow",
            "workflow_ref",
            "workflow_sha",
            "head_ref",
            "base_ref",
            "event_name",
            "ref_type",
            "environment",
            "job_workflow_ref",
            "job_workflow_sha",
            "repository_visibility",
            "runner_environment",
          ],
          id_token_signing_alg_values_supported: ["RS256"],
          scopes_supported: ["openid"],
        });
      }
      if (path === `${base}/.well-known/jwks`) {
        fetches.jwks += 1;
        return json({ keys: keys.map((k) => k.publicJwk) });
      }
      return undefined;
    },
    async mintToken(claimsInput, mint = {}) {
      const claims: Record<string, unknown> = {
        ...actionsClaims({ aud: options.audience ?? "fixfleet", ...claimsInput }),
      };
      const iat = mint.issuedAt ?? Math.floor(Date.now() / 1000);
      const key = mint.unpublishedKey
        ? await newKey()
        : (keys.find((k) => k.kid === (mint.kid ?? keys[0]?.kid)) ?? keys[0]);
      if (!key) throw new Error(`no signing key ${mint.kid}`);
      const all: Record<string, unknown> = {
        ...claims,
        iss: mint.issuer ?? issuerUrl(),
        iat,
        nbf: mint.notBefore ?? iat,
        exp: iat + (mint.expiresIn ?? 300),
      };
      for (const name of mint.omit ?? []) delete all[name];
      return new SignJWT(all).setProtectedHeader({ alg: "RS256", typ: "JWT", kid: key.kid }).sign(key.privateKey);
    },
    async rotateKey(rotate = {}) {
      const next = await newKey();
      keys = rotate.dropOld ? [next] : [next, ...keys];
      return next.kid;
    },
    currentKid() {
      return keys[0]?.kid ?? "";
    },
    jwks() {
      return { keys: keys.map((k) => k.publicJwk) };
    },
  };
}
