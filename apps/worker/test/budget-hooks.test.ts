import { createRedis } from "@fixfleet/shared";
import { testRedisUrl, uniquePrefix } from "@fixfleet/testkit";
import { costMicros, createBudgetLedger } from "@fixfleet/triage";
import { afterAll, describe, expect, it } from "vitest";
import { createBudgetHooks } from "../src/ports/budget-hooks.js";

const redis = createRedis(testRedisUrl(), { role: "worker" });
afterAll(() => redis.quit());

const model = "claude-sonnet-4-6";
const turn = { inputTokens: 10_000, outputTokens: 1_000, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 };

describe("budget hooks", () => {
  it("stop a run at the next turn once the pull request's budget is spent, saying which budget", async () => {
    const prefix = uniquePrefix("hooks");
    // Room for two turns like `turn` (each $0.045 at Sonnet prices), not three.
    const ledger = createBudgetLedger(redis, prefix, { pr: { usdMicros: 100_000 } });
    const budget = createBudgetHooks({
      ledger,
      subjects: { fix: "f1", pr: "octo/app#1", repo: "octo/app" },
      model,
      firstTurnTokens: 10_000,
    });
    const usage = { ...turn, turns: 1 } as never;
    expect(await budget.precheck()).toBeUndefined();
    expect(await budget.hooks.beforeTurn?.({ turn: 1, usage })).toEqual({ ok: true });
    await budget.hooks.afterTurn?.(turn as never, turn as never);
    expect(await budget.hooks.beforeTurn?.({ turn: 2, usage })).toEqual({ ok: true });
    await budget.hooks.afterTurn?.(turn as never, turn as never);
    const third = await budget.hooks.beforeTurn?.({ turn: 3, usage });
    expect(third).toEqual({ ok: false, reason: expect.stringMatching(/this pull request's budget is spent/) });
    expect(budget.spent().usdMicros).toBe(2 * costMicros(turn, model));
    expect((await ledger.spent({ fix: "f1", pr: "octo/app#1", repo: "octo/app" }, "pr")).usdMicros).toBe(
      2 * costMicros(turn, model),
    );
  });

  it("give back a reservation no turn used", async () => {
    const prefix = uniquePrefix("hooks");
    const ledger = createBudgetLedger(redis, prefix, {});
    const subjects = { fix: "f2", repo: "octo/app" };
    const budget = createBudgetHooks({ ledger, subjects, model });
    expect(await budget.precheck()).toBeUndefined();
    expect((await ledger.spent(subjects, "fix")).tokens).toBeGreaterThan(0);
    await budget.release();
    expect(await ledger.spent(subjects, "fix")).toEqual({ tokens: 0, usdMicros: 0 });
  });
});
