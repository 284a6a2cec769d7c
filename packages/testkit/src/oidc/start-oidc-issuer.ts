import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { type CreateOidcIssuerOptions, createOidcIssuer, type OidcIssuer } from "./oidc-issuer.js";

export interface RunningOidcIssuer extends OidcIssuer {
  url: string;
  close(): Promise<void>;
}

/** The fake issuer on its own HTTP server on 127.0.0.1 and a random port; the issuer URL is that server. */
export async function startOidcIssuer(
  options: Omit<CreateOidcIssuerOptions, "issuer"> & { path?: string } = {},
): Promise<RunningOidcIssuer> {
  let url = "";
  const issuer = await createOidcIssuer({ ...options, issuer: () => url });
  const server = createAdaptorServer({
    fetch: async (request: Request) =>
      (await issuer.handle(request)) ??
      new Response(JSON.stringify({ message: "Not Found" }), {
        status: 404,
        headers: { "content-type": "application/json" },
      }),
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  url = `http://127.0.0.1:${port}${options.path ?? ""}`;
  return Object.assign(issuer, {
    url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  });
}
