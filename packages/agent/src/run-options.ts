import type Anthropic from "@anthropic-ai/sdk";
import type { Scope } from "@fixfleet/monorepo";
import type { Clock } from "./budgets/budget-meter.js";
import type { Budgets } from "./budgets/budgets.js";
import type { AgentUsage } from "./budgets/usage.js";
import type { FailureInput } from "./failure-input.js";
import type { RetryPolicy } from "./model/call-model.js";
import type { AgentSandbox } from "./sandbox-port.js";
import type { ScopeCheck } from "./scope/write-policy.js";

/**
 * "fix" (the default): change the code, then verify the change. "explain" (`/fixfleet explain`):
 * analysis only — the editor refuses every write, the sandbox's diff is never looked at, nothing
 * is verified, and the run ends "explained" with the model's diagnosis.
 */
export type AgentMode = "fix" | "explain";

export interface AgentLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export type BeforeTurnVerdict = { ok: true } | { ok: false; reason: string };

export interface AgentHooks {
  /** Asked before every model turn (issue 11's budgets in Redis); a refusal ends the run with reason "budget". */
  beforeTurn?: (state: { turn: number; usage: AgentUsage }) => Promise<BeforeTurnVerdict>;
  /** Told after every model turn, with that turn's usage and the run's total. */
  afterTurn?: (turnUsage: AgentUsage, total: AgentUsage) => Promise<void>;
}

export interface AgentLimits {
  /** max_tokens of one answer (default 8192; non-streaming requests stay under the SDK's 10-minute rule). */
  maxTokensPerTurn: number;
  /** The model's context window in tokens (default 200,000). */
  contextWindowTokens: number;
  /** Most characters of one tool result the model receives (default 30,000). */
  maxToolResultChars: number;
  /** Most bytes the sandbox keeps of a command's stdout and of its stderr (default 1 MiB each). */
  maxCommandOutputBytes: number;
  /** A command printing nothing this long is stopped (default 5 minutes). */
  idleTimeoutMs: number;
  /** Characters of a failed job's log extract in the prompt (default 20,000). */
  maxLogExcerptChars: number;
  /** Characters of the past fix's summary (`failure.hint`) in the prompt (default 2,000). */
  maxHintChars: number;
  /** Characters of one job's full log placed in the sandbox (default 16 Mi; head and tail kept). */
  maxFullLogChars: number;
  /** Characters of a verify command's output kept in the result and shown in round 2 (default 6,000). */
  verifyTailChars: number;
  /** Timeout of one Messages API request (default 10 minutes). */
  requestTimeoutMs: number;
  /** Rounds: the first, plus one more with the verification's output (default 2). */
  maxRounds: number;
}

export const DEFAULT_LIMITS: Readonly<AgentLimits> = Object.freeze({
  maxTokensPerTurn: 8192,
  contextWindowTokens: 200_000,
  maxToolResultChars: 30_000,
  maxCommandOutputBytes: 1024 * 1024,
  idleTimeoutMs: 5 * 60_000,
  maxLogExcerptChars: 20_000,
  maxHintChars: 2_000,
  maxFullLogChars: 16 * 1024 * 1024,
  verifyTailChars: 6_000,
  requestTimeoutMs: 10 * 60_000,
  maxRounds: 2,
});

export interface RunFixAgentOptions {
  /** The SDK client, made by the worker with the key (which never leaves the worker). */
  anthropic: Anthropic;
  /** From `ANTHROPIC_MODEL`. */
  model: string;
  sandbox: AgentSandbox;
  /** The batch. `scope` is @fixfleet/monorepo's `buildScope` result; the write guard and the diff check use it. */
  failure: Omit<FailureInput, "scope"> & { scope?: Scope };
  /** Budgets from the repository's config; unset ones take `DEFAULT_BUDGETS`. */
  budgets?: Partial<Budgets>;
  /** Removes secrets (the worker's `createRedactor` with the GitHub token, the Anthropic key, …). */
  redact: (text: string) => string;
  /**
   * Overrides the write guard's scope check, which is otherwise `isWritable(failure.scope, path)`
   * of @fixfleet/monorepo. Neither given: the whole repository is writable, protected paths excepted.
   */
  scopeCheck?: ScopeCheck;
  /** Protected globs from the repository config; `.github/workflows/**` is always protected. */
  protectedPaths?: readonly string[];
  /** The repository inside the container (default `/workspace`). */
  workspace?: string;
  /** fixfleet's own area in the container, outside the repository (default `/tmp/fixfleet`): logs and the bash session. */
  agentDir?: string;
  /** Environment of every command (never a secret); CI=true and a non-interactive pager are added. */
  env?: Record<string, string>;
  limits?: Partial<AgentLimits>;
  retry?: Partial<RetryPolicy>;
  clock?: Clock;
  logger?: AgentLogger;
  hooks?: AgentHooks;
  /** Ask the API's count_tokens when a request nears the context window (default true). */
  countTokens?: boolean;
  /** "explain" runs the same loop for a diagnosis only; see `AgentMode` (default "fix"). */
  mode?: AgentMode;
}
