import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import type { IngestApp } from "../app/create-ingest-app.js";

export interface IngestServer {
  url: string;
  port: number;
  /**
   * Graceful stop: readiness turns 503, the listener stops accepting, requests in flight finish
   * (up to `graceMs`, then their sockets are closed), then the queue closes. The Redis
   * connection is the caller's to close after this.
   */
  stop(options?: { graceMs?: number }): Promise<void>;
}

/** Serves an ingest app with @hono/node-server. */
export async function startIngestServer(
  ingest: IngestApp,
  listen: { port: number; host: string },
): Promise<IngestServer> {
  const server = createAdaptorServer({ fetch: ingest.app.fetch }) as Server;
  // Keep-alive sockets of idle clients must not hold a shutdown open; 65 s outlives most balancers' 60 s.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(listen.port, listen.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = listen.host === "0.0.0.0" || listen.host === "::" ? "127.0.0.1" : listen.host;
  let stopping: Promise<void> | undefined;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    stop(options = {}) {
      stopping ??= (async () => {
        ingest.drain();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const grace = setTimeout(() => server.closeAllConnections(), options.graceMs ?? 10_000);
        await closed;
        clearTimeout(grace);
        await ingest.close();
      })();
      return stopping;
    },
  };
}
