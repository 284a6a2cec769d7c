import { posix } from "node:path";
import type { VerifyCommand } from "../failure-input.js";
import type { AgentSandbox } from "../sandbox-port.js";
import { tailText } from "../tools/cap-text.js";

export interface VerificationResult {
  command: string;
  cwd: string;
  exitCode: number | null;
  passed: boolean;
  timedOut: boolean;
  durationMs: number;
  /** The end of its output (redacted): where test runners say what failed. */
  outputTail: string;
}

export interface RunVerificationOptions {
  sandbox: AgentSandbox;
  commands: readonly VerifyCommand[];
  workspace: string;
  env: Record<string, string>;
  /** Timeout of one command; asked before each one, so the wall-time budget bounds the whole. */
  timeoutMs: () => number;
  maxOutputBytes: number;
  tailChars: number;
  redact: (text: string) => string;
  /** The shell the commands run under: bash where the image has it (as in GitHub Actions' `run:`). */
  shell: string;
}

/** Re-runs every failing command of the batch in a fresh shell, in the sandbox. */
export async function runVerification(options: RunVerificationOptions): Promise<VerificationResult[]> {
  const results: VerificationResult[] = [];
  for (const c of options.commands) {
    const timeoutMs = options.timeoutMs();
    const r = await options.sandbox.exec([options.shell, "-c", c.command], {
      cwd: posix.resolve(options.workspace, c.cwd),
      env: options.env,
      timeoutMs,
      maxOutputBytes: options.maxOutputBytes,
    });
    const output = [r.stdout, r.stderr].filter(Boolean).join("\n");
    const timedOut = r.timedOut || r.idleTimedOut === true;
    results.push({
      command: c.command,
      cwd: c.cwd,
      exitCode: r.exitCode,
      passed: r.exitCode === 0 && !timedOut,
      timedOut,
      durationMs: r.durationMs,
      outputTail: options.redact(
        tailText(output, options.tailChars) + (timedOut ? `\n[timed out after ${Math.round(timeoutMs / 1000)}s]` : ""),
      ),
    });
  }
  return results;
}
