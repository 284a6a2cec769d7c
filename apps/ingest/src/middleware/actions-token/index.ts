import type { MiddlewareHandler } from "hono";
import type { IngestEnv } from "../../app/ingest-env.js";
import { httpError } from "../../errors/http-error.js";
import type { ActionsTokenClaims } from "../../failures/actions-token-claims.js";
import type { ActionsTokenVerifier } from "../../failures/actions-token-verifier.js";

export type ActionsTokenEnv = IngestEnv & { Variables: { actionsClaims: ActionsTokenClaims } };

const BEARER = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)\s*$/i;

/** 401 unless `Authorization: Bearer` carries a valid GitHub Actions OIDC token; its claims go to `actionsClaims`. */
export function actionsToken(verify: ActionsTokenVerifier): MiddlewareHandler<ActionsTokenEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    const challenge = { "www-authenticate": 'Bearer realm="fixfleet"' };
    if (!header) {
      throw httpError(
        401,
        { error: "unauthorized", message: "Authorization: Bearer <GitHub Actions OIDC token> is missing" },
        challenge,
      );
    }
    const token = BEARER.exec(header)?.[1];
    if (!token) {
      throw httpError(401, { error: "unauthorized", message: "Authorization is not a Bearer token" }, challenge);
    }
    const verdict = await verify(token);
    if (!verdict.ok) {
      if (verdict.status === 503) {
        throw httpError(503, { error: "unavailable", message: verdict.reason }, { "retry-after": "10" });
      }
      throw httpError(401, { error: "unauthorized", message: verdict.reason }, challenge);
    }
    c.set("actionsClaims", verdict.claims);
    c.set("logFields", { ...c.get("logFields"), repository: verdict.claims.repository });
    await next();
  };
}
