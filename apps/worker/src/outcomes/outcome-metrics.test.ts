import { createRedis } from "@fixfleet/shared";
import { testRedisUrl, uniquePrefix } from "@fixfleet/testkit";
import { Registry } from "prom-client";
import { afterAll, describe, expect, it } from "vitest";
import { createFixRecords, type FixRecords } from "./fix-records.js";
import { registerOutcomeMetrics } from "./outcome-metrics.js";

const redis = createRedis(testRedisUrl(), { role: "worker" });
afterAll(() => redis.disconnect());

describe("outcome metrics", () => {
  it("reads the fleet's outcomes from Redis once per scrape for both gauges built from them", async () => {
    const records = createFixRecords(redis, uniquePrefix());
    let reads = 0;
    const counted: FixRecords = {
      ...records,
      outcomes: () => {
        reads += 1;
        return records.outcomes();
      },
    };
    for (const batchId of ["b1", "b2", "b3"]) {
      await records.published({ batchId, repository: "octo/outcomes", pr: 7, mode: "branch", publishedAt: 1 });
    }
    await records.settle("b1", "accepted", "merged");
    await records.settle("b2", "rejected", "closed");
    const registry = new Registry();
    registerOutcomeMetrics(registry, counted);

    const text = await registry.metrics();
    expect(reads).toBe(1);
    expect(text).toMatch(/fixfleet_fixes\{repository="octo\/outcomes",outcome="published"\} 3/);
    expect(text).toMatch(/fixfleet_fixes\{repository="octo\/outcomes",outcome="accepted"\} 1/);
    expect(text).toMatch(/fixfleet_fix_acceptance_ratio\{repository="octo\/outcomes"\} 0.5/);

    // The next scrape reads afresh.
    await records.settle("b3", "accepted", "merged");
    expect(await registry.metrics()).toMatch(/fixfleet_fix_acceptance_ratio\{repository="octo\/outcomes"\} 0.66/);
    expect(reads).toBe(2);
  });
});
