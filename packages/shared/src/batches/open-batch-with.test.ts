import { testRedisUrl, uniquePrefix } from "@fixfleet/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { createRedis } from "../redis/create-redis.js";
import { batchRedisKeys } from "./batch-keys.js";
import { openBatchWith } from "./open-batch-with.js";
import { readBatch } from "./read-batch.js";
import { startBatch } from "./start-batch.js";
import type { StoredReport } from "./stored-report.js";

const redis = createRedis(testRedisUrl(), { role: "worker" });
afterAll(() => redis.disconnect());

const sha = "b".repeat(40);
const key = `octo-org/octo-repo@${sha}`;
const entry = (runId: number): StoredReport => ({
  v: 1,
  source: "workflow_run",
  receivedAt: 1_700_000_000_000,
  repository: { owner: "octo-org", name: "octo-repo", id: 1 },
  installationId: 9,
  report: { v: 1, run_id: runId, sha, job: `test ${runId}` },
});

describe("a batch opened with known reports (what /fixfleet retry runs on)", () => {
  it("holds every report in order and starts like any batch", async () => {
    const prefix = uniquePrefix();
    const id = await openBatchWith(redis, prefix, {
      batchKey: key,
      repository: "octo-org/octo-repo",
      sha,
      reports: [entry(1), entry(2)],
      now: 42,
    });
    expect(id).toMatch(new RegExp(`^${key.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}#\\d+$`));
    const read = await readBatch(redis, prefix, id);
    expect(read?.meta).toMatchObject({ state: "open", sha, reportCount: 2, createdAt: 42 });
    expect(read?.reports.map((r) => r.report.run_id)).toEqual([1, 2]);
    const started = await startBatch(redis, prefix, id);
    expect(started?.firstStart).toBe(true);
    expect(started?.reports).toHaveLength(2);
  });

  it("never becomes the commit's open batch, and each call makes a new one", async () => {
    const prefix = uniquePrefix();
    const input = { batchKey: key, repository: "octo-org/octo-repo", sha, reports: [entry(3)] };
    const first = await openBatchWith(redis, prefix, input);
    const second = await openBatchWith(redis, prefix, input);
    expect(second).not.toBe(first);
    expect(await redis.get(batchRedisKeys(prefix).open(key))).toBeNull();
  });
});
