import type { Budgets } from "./budgets.js";
import { type AgentUsage, addUsage, emptyUsage, processedInputTokens } from "./usage.js";

export type BudgetStop = "turns" | "input_tokens" | "output_tokens" | "time";

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/** The smallest answer worth asking for: below this a turn cannot even hold one tool call. */
const MIN_TURN_OUTPUT_TOKENS = 256;

/**
 * Keeps a run's spending against its budgets. `exhausted()` is asked before every model turn
 * (and `estimatedInput` lets it refuse a request that would certainly overrun the input budget),
 * so a run stops with the name of the budget it hit, never in the middle of a tool call.
 */
export class BudgetMeter {
  readonly startedAt: number;
  turns = 0;
  usage: AgentUsage = emptyUsage();

  constructor(
    readonly budgets: Budgets,
    private readonly clock: Clock,
  ) {
    this.startedAt = clock.now();
  }

  elapsedMs(): number {
    return this.clock.now() - this.startedAt;
  }

  remainingMs(): number {
    return Math.max(0, this.budgets.wallMs - this.elapsedMs());
  }

  remainingOutputTokens(): number {
    return Math.max(0, this.budgets.outputTokens - this.usage.outputTokens);
  }

  recordTurn(usage: AgentUsage): void {
    this.turns += 1;
    this.usage = addUsage(this.usage, usage);
  }

  /** Usage of a request that failed after the model had already answered part of it. */
  recordUsageOnly(usage: AgentUsage): void {
    this.usage = addUsage(this.usage, usage);
  }

  exhausted(estimatedInput = 0): BudgetStop | undefined {
    if (this.turns >= this.budgets.turns) return "turns";
    if (this.remainingMs() <= 0) return "time";
    if (processedInputTokens(this.usage) + estimatedInput > this.budgets.inputTokens) return "input_tokens";
    if (this.remainingOutputTokens() < MIN_TURN_OUTPUT_TOKENS) return "output_tokens";
    return undefined;
  }

  /** Per-command timeout: the command budget, but never past the run's wall-time budget. */
  commandTimeoutMs(): number {
    return Math.max(1, Math.min(this.budgets.commandMs, this.remainingMs()));
  }
}
