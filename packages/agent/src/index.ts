export type { AgentResult, AgentStatus, AgentStopReason } from "./agent-result.js";
export { BudgetMeter, type BudgetStop, type Clock, systemClock } from "./budgets/budget-meter.js";
export { type Budgets, budgetsSchema, DEFAULT_BUDGETS, resolveBudgets } from "./budgets/budgets.js";
export type { AgentUsage } from "./budgets/usage.js";
export {
  type FailedJob,
  type FailureInput,
  type FixHint,
  failureInputSchema,
  fixHintSchema,
  type ScopeSummary,
  type VerifyCommand,
  type VerifyCommandInput,
} from "./failure-input.js";
export { classifyAnthropicError, DEFAULT_RETRY_POLICY, type RetryPolicy } from "./model/call-model.js";
export type { PathRule } from "./paths/path-refusal.js";
export { type SystemPromptOptions, systemPrompt } from "./prompt/system-prompt.js";
export { runFixAgent } from "./run-fix-agent.js";
export {
  type AgentHooks,
  type AgentLimits,
  type AgentLogger,
  type AgentMode,
  type BeforeTurnVerdict,
  DEFAULT_LIMITS,
  type RunFixAgentOptions,
} from "./run-options.js";
export type { AgentSandbox, SandboxDiff, SandboxExecResult } from "./sandbox-port.js";
export { createWritePolicy, DEFAULT_PROTECTED_PATHS, type ScopeCheck, type WritePolicy } from "./scope/write-policy.js";
export type { TranscriptEntry } from "./transcript/transcript.js";
export { checkDiff, type DiffProblem } from "./verify/check-diff.js";
export type { VerificationResult } from "./verify/run-verification.js";
export { isTestPath } from "./verify/test-paths.js";
