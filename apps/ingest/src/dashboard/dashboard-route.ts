import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { HonoAdapter } from "@bull-board/hono";
import { serveStatic } from "@hono/node-server/serve-static";
import type { Queue } from "bullmq";
import { Hono } from "hono";
import { basicAuth } from "hono/basic-auth";

export const DASHBOARD_PATH = "/admin/queues";

/**
 * Bull Board at /admin/queues behind basic auth (DASHBOARD_USER/DASHBOARD_PASSWORD). The
 * caller mounts it only when both are set: without them the dashboard does not exist.
 */
export function dashboardRoute(queues: Queue[], credentials: { user: string; password: string }): Hono {
  const adapter = new HonoAdapter(serveStatic).setBasePath(DASHBOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter: adapter });
  const app = new Hono();
  app.use("*", basicAuth({ username: credentials.user, password: credentials.password, realm: "fixfleet dashboard" }));
  app.route("/", adapter.registerPlugin());
  return app;
}
