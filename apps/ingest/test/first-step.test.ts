import { batchRedisKeys, type StoredReport } from "@fixfleet/shared";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFirstStep } from "../src/batching/accept-first-step.js";
import { acceptReport } from "../src/batching/accept-report.js";
import { createReportRateLimiter } from "../src/rate-limit/report-rate-limiter.js";
import { type Harness, startHarness, storedReports } from "./harness.js";

// Under load, many requests reach the first step of accepting a report in one event-loop round;
// they share one Redis script call, which answers each of them as if it had come alone, and
// counts the account's rate limit in the same step.

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const T0 = 1_950_000_000_000;
const { newSha, entry } = storedReports({
  receivedAt: T0,
  firstRun: 70_000,
  shaFill: "f",
  deliveryPrefix: "first-step",
});

/** The test's Redis client, counting the scripts run through it. */
function countingScripts(redis: Redis) {
  const counted = { calls: 0 };
  const client = new Proxy(redis, {
    get(target, property) {
      if (property === "evalsha" || property === "eval") {
        return (...args: unknown[]) => {
          counted.calls += 1;
          return (target[property] as (...a: unknown[]) => unknown)(...args);
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { client, counted };
}

function setup(rateLimit = { points: 1_000, durationSec: 60 }) {
  const options = { prefix: h.prefix, windowMs: 20_000, maxWaitMs: 120_000, rateLimit };
  const { client, counted } = countingScripts(h.redis);
  // A clock that stands still: the batch's job (window from T0) is late enough for every report.
  const firstStep = createFirstStep({ redis: client, now: () => T0, options });
  const accept = (e: StoredReport, account?: string) =>
    acceptReport({ redis: h.redis, queue: h.ingest.queue, firstStep, options }, e, account);
  return { accept, counted, firstStep };
}

describe("the first step of accepting reports, shared by the reports of one round", () => {
  it("answers each report of the round from one script call: appended in order, a repeat as duplicate", async () => {
    const { accept, counted } = setup();
    const sha = newSha();
    const first = entry(sha);
    const opened = await accept(first);
    expect(opened).toMatchObject({ outcome: "accepted", newBatch: true, reportCount: 1 });
    const before = counted.calls;

    const outcomes = await Promise.all([accept(entry(sha)), accept(entry(sha)), accept(first), accept(entry(sha))]);
    expect(counted.calls - before).toBe(1);
    expect(outcomes.map((o) => o.outcome)).toEqual(["accepted", "accepted", "duplicate", "accepted"]);
    expect(outcomes.map((o) => (o.outcome === "accepted" ? o.reportCount : 0))).toEqual([2, 3, 0, 4]);
    const jobs = (await h.jobs()).filter((j) => j.data.sha === sha);
    expect(jobs).toHaveLength(1);
    expect(await h.reportsOf(jobs[0]!)).toBe(4);
  });

  it("writes the keys batchRedisKeys names, whatever the case of the repository name", async () => {
    const { accept } = setup();
    const sha = newSha();
    await accept(entry(sha));
    const appended = entry(sha);
    appended.repository = { owner: "Octo-Org", name: "Octo-Repo", id: 4242 };
    expect(await accept(appended, "account-keys")).toMatchObject({ outcome: "accepted", reportCount: 2 });
    const keys = batchRedisKeys(h.prefix);
    const batchId = await h.redis.get(keys.open(`octo-org/octo-repo@${sha}`));
    expect(batchId).toMatch(/^octo-org\/octo-repo@f+\d+#\d+$/);
    expect(await h.redis.get(keys.delivery(appended.deliveryId!))).toBe(batchId);
    expect(await h.redis.get(keys.report(`octo-org/octo-repo/${appended.report.run_id}/1/test`))).toBe(batchId);
    expect(await h.redis.get(keys.repositoryId("Octo-Org/Octo-Repo"))).toBe("4242");
    expect(await h.redis.get(`${h.prefix}:ratelimit:account-keys`)).toBe("1");
    expect(await h.redis.lrange(keys.reports(batchId!), 0, -1)).toHaveLength(2);
  });

  it("counts the rate limit in the same step: a duplicate costs nothing, a refused report leaves nothing", async () => {
    const { accept, firstStep } = setup({ points: 2, durationSec: 60 });
    const sha = newSha();
    const opening = entry(sha);
    // Not counted (no account): the batch exists before the round under test.
    await accept(opening);
    const account = `account-${opening.report.run_id}`;
    const [a, b, c] = [entry(sha), entry(sha), entry(sha)];

    const outcomes = await Promise.all([
      accept(a, account),
      accept(opening, account),
      accept(b, account),
      accept(c, account),
    ]);
    expect(outcomes.map((o) => o.outcome)).toEqual(["accepted", "duplicate", "accepted", "rate_limited"]);
    const limited = outcomes[3]!;
    if (limited.outcome !== "rate_limited") throw new Error("not limited");
    expect(limited.retryAfterMs).toBeGreaterThan(0);
    expect(limited.retryAfterMs).toBeLessThanOrEqual(60_000);

    const keys = batchRedisKeys(h.prefix);
    expect(await h.redis.exists(keys.delivery(c.deliveryId!))).toBe(0);
    const [job] = (await h.jobs()).filter((j) => j.data.sha === sha);
    expect(await h.reportsOf(job!)).toBe(3);

    // A control event of the same account shares the budget; another account has its own.
    const consume = createReportRateLimiter(firstStep);
    await expect(consume(account)).rejects.toMatchObject({ status: 429 });
    await expect(consume(`${account}-other`)).resolves.toBeUndefined();
  });
});
