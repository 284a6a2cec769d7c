import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/**
 * The one way a request ends early: Hono's HTTPException carrying a JSON answer (CONTRACT.md
 * §3), so every refusal has the same shape and never a stack trace.
 */
export function httpError(
  status: ContentfulStatusCode,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): HTTPException {
  const res = new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
  return new HTTPException(status, { res, message: typeof body.error === "string" ? body.error : String(status) });
}
