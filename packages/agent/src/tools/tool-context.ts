import type { BudgetMeter } from "../budgets/budget-meter.js";
import type { PathGuard } from "../paths/path-guard.js";
import type { AgentSandbox } from "../sandbox-port.js";

/** What a tool needs to run one call: the sandbox, the guard, limits. Built once per run. */
export interface ToolContext {
  sandbox: AgentSandbox;
  guard: PathGuard;
  meter: BudgetMeter;
  /** Most characters of one tool result the model receives. */
  maxResultChars: number;
  /** Most bytes the sandbox keeps of one command's stdout and of its stderr. */
  maxCommandOutputBytes: number;
  /** A command silent this long is stopped. */
  idleTimeoutMs: number;
  /** Environment of every command (never a secret). */
  env: Record<string, string>;
  /** Where the bash tool keeps its session (cwd, exported variables), outside the repository. */
  sessionDir: string;
  redact: (text: string) => string;
  /** An explain run: the editor refuses every command but `view` (bash still runs, to read and reproduce). */
  readOnly: boolean;
}

/** What the model receives for one tool call. */
export interface ToolOutcome {
  content: string;
  isError: boolean;
  /** The guard rule that refused the call, when one did (kept in the transcript). */
  rule?: string;
}
