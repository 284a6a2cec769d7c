import { testRedisUrl, uniquePrefix } from "@fixfleet/testkit";
import { Queue, QueueEvents, Worker } from "bullmq";
import { afterAll, describe, expect, it } from "vitest";
import { createRedis } from "../src/redis/create-redis.js";

describe("Redis for BullMQ", () => {
  const closers: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  });

  it("is a real server: a job goes through a BullMQ queue and worker", async () => {
    const url = testRedisUrl();
    const prefix = uniquePrefix("roundtrip");
    const producer = createRedis(url, { role: "producer" });
    await new Promise((r) => producer.once("ready", r));
    const queue = new Queue("round-trip", { connection: producer, prefix });
    const worker = new Worker("round-trip", async (job) => ({ doubled: (job.data as { n: number }).n * 2 }), {
      connection: createRedis(url, { role: "worker" }),
      prefix,
    });
    const events = new QueueEvents("round-trip", { connection: createRedis(url, { role: "worker" }), prefix });
    closers.push(
      () => queue.close(),
      () => worker.close(),
      () => events.close(),
      async () => producer.quit(),
    );
    await events.waitUntilReady();

    const job = await queue.add("double", { n: 21 });
    const result = await job.waitUntilFinished(events, 10_000);
    expect(result).toEqual({ doubled: 42 });
    // A real server answers commands a mock would not bother to implement.
    const info = await producer.info("server");
    expect(info).toMatch(/redis_version:\d+/);
  });

  it("fails fast on the producer side while Redis is unreachable", async () => {
    const producer = createRedis("redis://127.0.0.1:1", {
      role: "producer",
      overrides: { retryStrategy: () => null, lazyConnect: true },
    });
    producer.on("error", () => {});
    const started = Date.now();
    await expect(producer.set("k", "v")).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(3_000);
    producer.disconnect();
  });
});
