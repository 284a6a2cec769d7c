import { createRedis } from "@fixfleet/shared";
import { testRedisUrl, uniquePrefix } from "@fixfleet/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { createBudgetLedger, describeRefusal } from "../src/budgets/budget-ledger.js";
import { costMicros } from "../src/budgets/price-table.js";

const redis = createRedis(testRedisUrl(), { role: "worker" });
afterAll(() => redis.quit());

describe("the budget ledger", () => {
  it("lets exactly one of two fixes racing for the last of a repository's daily budget run", async () => {
    const prefix = uniquePrefix("budget");
    const ledger = createBudgetLedger(redis, prefix, { repo_day: { tokens: 10_000 } });
    const first = await ledger.reserve({ fix: "warmup", repo: "octo/app" }, { tokens: 7_000, usdMicros: 0 });
    expect(first.ok).toBe(true);
    // 3,000 tokens left; two fixes each need 2,000 to start, at the same moment, on separate connections.
    const other = createRedis(testRedisUrl(), { role: "worker" });
    const ledger2 = createBudgetLedger(other, prefix, { repo_day: { tokens: 10_000 } });
    const results = await Promise.all([
      ledger.reserve({ fix: "a", repo: "octo/app" }, { tokens: 2_000, usdMicros: 0 }),
      ledger2.reserve({ fix: "b", repo: "octo/app" }, { tokens: 2_000, usdMicros: 0 }),
    ]);
    other.disconnect();
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const refused = results.find((r) => !r.ok);
    expect(refused).toMatchObject({ ok: false, scope: "repo_day", dimension: "tokens", limit: 10_000, used: 9_000 });
    if (refused && !refused.ok)
      expect(describeRefusal(refused)).toMatch(/repository's daily budget is spent .* resets at \d{4}/);
  });

  it("takes from every budget or from none", async () => {
    const prefix = uniquePrefix("budget");
    const ledger = createBudgetLedger(redis, prefix, { fix: { tokens: 100 }, pr: { tokens: 1_000 } });
    const subjects = { fix: "f1", pr: "octo/app#1", repo: "octo/app", installation: 7 };
    expect((await ledger.reserve(subjects, { tokens: 150, usdMicros: 0 })).ok).toBe(false);
    expect(await ledger.spent(subjects, "pr")).toEqual({ tokens: 0, usdMicros: 0 });
    expect(await ledger.spent(subjects, "installation_day")).toEqual({ tokens: 0, usdMicros: 0 });
  });

  it("settles a reservation to what was really spent, in tokens and money", async () => {
    const prefix = uniquePrefix("budget");
    const ledger = createBudgetLedger(redis, prefix, { installation_day: { usdMicros: 1_000_000 } });
    const subjects = { fix: "f1", repo: "octo/app", installation: 9 };
    const usage = { inputTokens: 10_000, outputTokens: 2_000, cacheReadInputTokens: 50_000 };
    const actual = { tokens: 62_000, usdMicros: costMicros(usage, "claude-sonnet-4-5") };
    expect(actual.usdMicros).toBe(30_000 + 30_000 + 15_000);
    const reservation = await ledger.reserve(subjects, { tokens: 100_000, usdMicros: 200_000 });
    if (!reservation.ok) throw new Error("expected room");
    await ledger.settle(reservation, actual);
    expect(await ledger.spent(subjects, "installation_day")).toEqual(actual);
    expect(await ledger.spent(subjects, "fix")).toEqual(actual);
  });
});
