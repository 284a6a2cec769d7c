import { describe, expect, it } from "vitest";
import { budgetLimits } from "./budget-limits.js";

describe("budget limits from the config", () => {
  it("puts dollars (as micro-dollars) and tokens on each budget, and leaves out what is 0", () => {
    expect(
      budgetLimits({
        budgetsUsd: { fix: 5, pr: 0, repoDay: 0.25, installationDay: 0 },
        budgetsTokens: { fix: 2_000_000, pr: 8_000_000, repoDay: 0, installationDay: 0 },
      }),
    ).toEqual({
      fix: { usdMicros: 5_000_000, tokens: 2_000_000 },
      pr: { tokens: 8_000_000 },
      repo_day: { usdMicros: 250_000 },
      installation_day: undefined,
    });
  });
});
