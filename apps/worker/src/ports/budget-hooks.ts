import type { AgentHooks, AgentUsage } from "@fixfleet/agent";
import {
  type Amount,
  type BudgetLedger,
  type BudgetRefusal,
  type BudgetSubjects,
  costMicros,
  describeRefusal,
  type PriceTable,
  type Reservation,
  totalTokens,
} from "@fixfleet/triage";

export interface BudgetHooks {
  /** Takes the first turn's share before anything starts; a refusal means: do not start. */
  precheck(): Promise<BudgetRefusal | undefined>;
  hooks: AgentHooks;
  /** What the run has spent so far. */
  spent(): Amount;
  /** Gives back a reservation no turn used (the run ended between beforeTurn and afterTurn). */
  release(): Promise<void>;
}

/**
 * Connects the agent's turns to the budget ledger: before each turn, the next turn's estimated
 * cost is reserved in every budget that applies (atomically, so two fixes cannot both take the
 * last of a budget); after it, the reservation is replaced by what the turn really cost. A turn
 * the budgets cannot cover is not started, and the run stops with reason "budget".
 */
export function createBudgetHooks(options: {
  ledger: BudgetLedger;
  subjects: BudgetSubjects;
  model: string;
  priceTable?: PriceTable;
  /** Estimated input tokens of a first turn (later turns are estimated from the last one). */
  firstTurnTokens?: number;
}): BudgetHooks {
  const { ledger, subjects, model } = options;
  let held: Extract<Reservation, { ok: true }> | undefined;
  let estimate: AgentUsage | undefined;
  const spent: Amount = { tokens: 0, usdMicros: 0 };
  const amountOf = (
    usage: Pick<AgentUsage, "inputTokens" | "outputTokens" | "cacheReadInputTokens" | "cacheCreationInputTokens">,
  ): Amount => ({
    tokens: totalTokens(usage),
    usdMicros: costMicros(usage, model, options.priceTable),
  });
  const nextEstimate = (): Amount =>
    estimate
      ? amountOf(estimate)
      : amountOf({
          inputTokens: options.firstTurnTokens ?? 20_000,
          outputTokens: 2_000,
          cacheReadInputTokens: 0,
          cacheCreationInputTokens: 0,
        });

  async function reserve(): Promise<BudgetRefusal | undefined> {
    if (held) return undefined;
    const result = await ledger.reserve(subjects, nextEstimate());
    if (!result.ok) return result;
    held = result;
    return undefined;
  }

  return {
    precheck: reserve,
    spent: () => ({ ...spent }),
    async release() {
      if (!held) return;
      const reservation = held;
      held = undefined;
      await ledger.settle(reservation, { tokens: 0, usdMicros: 0 });
    },
    hooks: {
      async beforeTurn() {
        const refusal = await reserve();
        return refusal ? { ok: false, reason: describeRefusal(refusal) } : { ok: true };
      },
      async afterTurn(turnUsage) {
        const actual = amountOf(turnUsage);
        spent.tokens += actual.tokens;
        spent.usdMicros += actual.usdMicros;
        estimate = turnUsage;
        if (held) {
          await ledger.settle(held, actual);
          held = undefined;
        }
      },
    },
  };
}
