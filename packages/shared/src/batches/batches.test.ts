import { testRedisUrl, uniquePrefix } from "@fixfleet/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedis } from "../redis/create-redis.js";
import { batchIdFor, batchRedisKeys } from "./batch-keys.js";
import { closeBatch } from "./close-batch.js";
import { readBatch } from "./read-batch.js";
import { startBatch } from "./start-batch.js";
import type { StoredReport } from "./stored-report.js";

const redis = createRedis(testRedisUrl(), { role: "worker" });
afterAll(() => redis.disconnect());

const sha = "a".repeat(40);
const key = `octo-org/octo-repo@${sha}`;
const entry = (runId: number): StoredReport => ({
  v: 1,
  source: "repository_dispatch",
  receivedAt: 1_700_000_000_000,
  deliveryId: `d-${runId}`,
  repository: { owner: "octo-org", name: "octo-repo", id: 1 },
  installationId: 9,
  report: { v: 1, run_id: runId, sha, job: "test" },
});

/** Writes a batch the way ingest does (README.md of this folder). */
async function writeBatch(prefix: string, n: number, reports: StoredReport[]) {
  const keys = batchRedisKeys(prefix);
  const id = batchIdFor(key, n);
  await redis
    .multi()
    .hset(keys.meta(id), {
      id,
      key,
      state: "open",
      repository: "octo-org/octo-repo",
      sha,
      createdAt: 1,
      reportCount: reports.length,
    })
    .rpush(keys.reports(id), ...reports.map((r) => JSON.stringify(r)))
    .set(keys.open(key), id)
    .exec();
  return id;
}

describe("the batch read side", () => {
  let prefix: string;
  beforeAll(() => {
    prefix = uniquePrefix("batches");
  });

  it("reads a batch's facts and reports without changing it", async () => {
    const id = await writeBatch(prefix, 1, [entry(1), entry(2)]);
    const batch = await readBatch(redis, prefix, id);
    expect(batch?.meta).toMatchObject({ id, key, state: "open", sha, reportCount: 2 });
    expect(batch?.reports.map((r) => r.report.run_id)).toEqual([1, 2]);
    expect(await redis.get(batchRedisKeys(prefix).open(key))).toBe(id);
  });

  it("starts a batch once: closed to new reports, the same reports on a retry", async () => {
    const id = await writeBatch(prefix, 2, [entry(3)]);
    const first = await startBatch(redis, prefix, id, 5_000);
    expect(first).toMatchObject({ firstStart: true, meta: { state: "started", startedAt: 5_000 } });
    expect(first?.reports).toHaveLength(1);
    expect(await redis.get(batchRedisKeys(prefix).open(key))).toBeNull();
    const retry = await startBatch(redis, prefix, id, 9_000);
    expect(retry).toMatchObject({ firstStart: false, meta: { startedAt: 5_000 } });
    expect(retry?.reports).toEqual(first?.reports);
  });

  it("keeps an unreadable entry out and counts it", async () => {
    const id = await writeBatch(prefix, 3, [entry(4)]);
    await redis.rpush(batchRedisKeys(prefix).reports(id), "not json", JSON.stringify({ v: 2 }));
    const batch = await startBatch(redis, prefix, id);
    expect(batch?.reports).toHaveLength(1);
    expect(batch?.unreadable).toBe(2);
  });

  it("closes a batch: its state and outcome stay readable for a while, then Redis drops them", async () => {
    const id = await writeBatch(prefix, 4, [entry(5)]);
    await startBatch(redis, prefix, id);
    expect(await closeBatch(redis, prefix, id, { outcome: "fixed", now: 7_000, keepForMs: 60_000 })).toBe(true);
    const batch = await readBatch(redis, prefix, id);
    expect(batch?.meta).toMatchObject({ state: "closed", outcome: "fixed", closedAt: 7_000 });
    const ttl = await redis.pttl(batchRedisKeys(prefix).meta(id));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it("answers undefined for a batch that does not exist", async () => {
    expect(await readBatch(redis, prefix, batchIdFor(key, 99))).toBeUndefined();
    expect(await startBatch(redis, prefix, batchIdFor(key, 99))).toBeUndefined();
    expect(await closeBatch(redis, prefix, batchIdFor(key, 99), { outcome: "x" })).toBe(false);
  });
});
