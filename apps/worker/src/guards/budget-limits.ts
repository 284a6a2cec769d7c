import type { WorkerConfig } from "@fixfleet/shared";
import type { BudgetLimits, Limit } from "@fixfleet/triage";

/** The ledger's limits from the worker's config: each budget is money, tokens or both; 0 turns a dimension off. */
export function budgetLimits(config: Pick<WorkerConfig, "budgetsUsd" | "budgetsTokens">): BudgetLimits {
  const limit = (dollars: number, tokens: number): Limit | undefined =>
    dollars > 0 || tokens > 0
      ? { ...(dollars > 0 ? { usdMicros: Math.round(dollars * 1e6) } : {}), ...(tokens > 0 ? { tokens } : {}) }
      : undefined;
  const { budgetsUsd: usd, budgetsTokens: tokens } = config;
  return {
    fix: limit(usd.fix, tokens.fix),
    pr: limit(usd.pr, tokens.pr),
    repo_day: limit(usd.repoDay, tokens.repoDay),
    installation_day: limit(usd.installationDay, tokens.installationDay),
  };
}
