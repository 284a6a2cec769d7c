import { type ServerType, serve } from "@hono/node-server";
import { Hono } from "hono";
import type { Registry } from "prom-client";

export interface HealthServerOptions {
  port: number;
  host?: string;
  registry: Registry;
  /** Why the worker is unhealthy, or undefined when it is fine. */
  problem: () => string | undefined;
}

/** The worker's own listener: `/metrics` (Prometheus) and `/healthz` (liveness, 503 when wedged). */
export function createHealthApp(options: Omit<HealthServerOptions, "port" | "host">): Hono {
  const app = new Hono();
  app.get("/healthz", (c) => {
    const problem = options.problem();
    return problem ? c.json({ ok: false, problem }, 503) : c.json({ ok: true });
  });
  app.get("/metrics", async (c) => {
    c.header("content-type", options.registry.contentType);
    return c.body(await options.registry.metrics());
  });
  return app;
}

export function startHealthServer(options: HealthServerOptions): Promise<ServerType> {
  const app = createHealthApp(options);
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: options.port, hostname: options.host ?? "0.0.0.0" }, () =>
      resolve(server),
    );
  });
}
