import { batchRedisKeys, createRedis, QUEUE_NAMES } from "@fixfleet/shared";
import { type RedisServer, startRedisServer } from "@fixfleet/testkit";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFirstStep } from "../src/batching/accept-first-step.js";
import { acceptReport } from "../src/batching/accept-report.js";
import { RedisUnavailableError } from "../src/errors/redis-unavailable-error.js";
import { dispatchPayload, type Harness, prComment, report, startHarness } from "./harness.js";

let server: RedisServer;
let h: Harness;
beforeAll(async () => {
  server = await startRedisServer();
  h = await startHarness({ redisUrl: server.url });
});
afterAll(async () => {
  await h.close();
  await server.stop();
});

const ready = () =>
  new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      if (h.redis.status === "ready") {
        clearInterval(poll);
        resolve();
      }
    }, 20);
  });

describe("Redis stopped mid-test", () => {
  it("answers 503 with Retry-After, says not ready, and accepts the same report once after Redis returns", async () => {
    expect((await h.webhook("repository_dispatch", dispatchPayload(report()))).status).toBe(202);
    await server.stop();
    const payload = dispatchPayload(report());
    const deliveryId = "0badc0de-0000-4000-8000-000000000001";
    const down = await h.webhook("repository_dispatch", payload, { deliveryId });
    expect(down.status).toBe(503);
    expect(down.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await down.json()).toEqual({
      error: "unavailable",
      message: "storage is unavailable; nothing was accepted, retry later",
    });
    expect((await h.ingest.app.request("/readyz")).status).toBe(503);
    expect((await h.ingest.app.request("/healthz")).status).toBe(200);
    // Scraping still works while Redis is down; queue depths are just missing.
    expect((await h.ingest.app.request("/metrics")).status).toBe(200);

    await server.start();
    await ready();
    expect((await h.ingest.app.request("/readyz")).status).toBe(200);
    const again = await h.webhook("repository_dispatch", payload, { deliveryId });
    expect(again.status).toBe(202);
    const once = await h.webhook("repository_dispatch", payload, { deliveryId });
    expect(once.status).toBe(200);
    const jobs = await h.jobs();
    expect(jobs).toHaveLength(1);
    expect(await h.reportsOf(jobs[0]!)).toBe(1);
  });

  it("answers a /fixfleet command 503 while Redis is down, and stores its redelivery once after", async () => {
    await server.stop();
    const payload = prComment("/fixfleet stop");
    const deliveryId = "0badc0de-0000-4000-8000-00000000c0de";
    const down = await h.webhook("issue_comment", payload, { deliveryId });
    expect(down.status).toBe(503);
    await server.start();
    await ready();
    // GitHub's redelivery (or the sender's retry) until Redis answers on every connection.
    let again = await h.webhook("issue_comment", payload, { deliveryId });
    for (let i = 0; again.status === 503 && i < 50; i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      again = await h.webhook("issue_comment", payload, { deliveryId });
    }
    expect(again.status).toBe(202);
    expect((await h.webhook("issue_comment", payload, { deliveryId })).status).toBe(200);
    const stored = await h.ingest.controlQueue.getJobs(["waiting"]);
    expect(stored.filter((j) => j.data.deliveryId === deliveryId)).toHaveLength(1);
  });

  it("leaves nothing acknowledged when Redis fails between the batch and the job: the retry is accepted, once", async () => {
    const r = report({ sha: "5".repeat(40) });
    const entry = {
      v: 1 as const,
      source: "repository_dispatch" as const,
      receivedAt: Date.now(),
      deliveryId: "feedface-0000-4000-8000-000000000002",
      repository: { owner: "octo-org", name: "octo-repo", id: 4242 },
      installationId: 99,
      report: { v: 1 as const, run_id: r.run_id as number, sha: "5".repeat(40), job: "test" },
    };
    // The queue's own connection points at a Redis that is not there: step 2 of 3 fails.
    const dead = createRedis("redis://127.0.0.1:1", { role: "producer", overrides: { retryStrategy: () => null } });
    dead.on("error", () => {});
    const brokenQueue = new Queue(QUEUE_NAMES.fix, { connection: dead, prefix: h.prefix });
    brokenQueue.on("error", () => {});
    const options = { prefix: h.prefix, windowMs: 20_000, maxWaitMs: 120_000 };
    const firstStep = createFirstStep({ redis: h.redis, now: Date.now, options });
    await expect(
      acceptReport({ redis: h.redis, queue: brokenQueue, firstStep, options }, entry),
    ).rejects.toBeInstanceOf(RedisUnavailableError);
    const keys = batchRedisKeys(h.prefix);
    expect(await h.redis.exists(keys.delivery(entry.deliveryId))).toBe(0);
    const jobsBefore = (await h.jobs()).length;

    const outcome = await acceptReport({ redis: h.redis, queue: h.ingest.queue, firstStep, options }, entry);
    expect(outcome.outcome).toBe("accepted");
    const again = await acceptReport({ redis: h.redis, queue: h.ingest.queue, firstStep, options }, entry);
    expect(again.outcome).toBe("duplicate");
    expect((await h.jobs()).length).toBe(jobsBefore + 1);
    const job = (await h.jobs()).find((j) => j.data.sha === "5".repeat(40));
    expect(await h.reportsOf(job!)).toBe(1);
    await brokenQueue.close().catch(() => undefined);
    dead.disconnect();
  });
});
