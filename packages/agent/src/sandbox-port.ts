/**
 * The part of `@fixfleet/sandbox`'s `Sandbox` the agent uses. Declared structurally so the loop
 * depends on behaviour, not on a class: the worker passes the real sandbox, and nothing else
 * (no fs, no child_process) is ever touched by a tool.
 */
export interface SandboxExecOptions {
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  idleTimeoutMs?: number;
  maxOutputBytes?: number;
  stdin?: string | Buffer;
}

export interface SandboxExecResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Exact bytes of stdout (binary-safe), when the sandbox gives them. */
  stdoutBytes?: Buffer;
  truncated: boolean;
  omittedBytes: { stdout: number; stderr: number };
  timedOut: boolean;
  idleTimedOut?: boolean;
  oomKilled: boolean;
  pidsLimitHit?: boolean;
  durationMs: number;
}

export interface SandboxDiffFile {
  path: string;
  oldPath?: string;
  status: "added" | "modified" | "deleted" | "renamed" | (string & {});
  oldMode?: string;
  newMode?: string;
  binary: boolean;
  additions: number;
  deletions: number;
}

export interface SandboxDiff {
  patch: string;
  files: SandboxDiffFile[];
}

export interface AgentSandbox {
  exec(command: string | string[], options?: SandboxExecOptions): Promise<SandboxExecResult>;
  readFile(path: string, options?: { maxBytes?: number }): Promise<Buffer>;
  writeFile(path: string, content: string | Buffer, options?: { mode?: number }): Promise<void>;
  diff(): Promise<SandboxDiff>;
}
