import { spawn } from "node:child_process";
import { PermanentError, TransientError } from "@fixfleet/shared";

export interface RunGitOptions {
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Applied to any output that ends up in an error message. */
  redact?: (text: string) => string;
}

const TRANSIENT =
  /could not resolve host|connection (?:refused|reset|timed out)|timed out|early eof|the remote end hung up|http\/2 stream|RPC failed|returned error: 5\d\d|temporarily unavailable/i;

/**
 * Runs one git command with a clean, predictable environment: no terminal prompts, no system or
 * user config (a developer's `url.insteadOf` or credential store must not join in), no pager.
 */
export function runGit(args: string[], options: RunGitOptions = {}): Promise<{ stdout: string; stderr: string }> {
  const redact = options.redact ?? ((t: string) => t);
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, {
      cwd: options.cwd,
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: process.env.HOME ?? "/tmp",
        GIT_TERMINAL_PROMPT: "0",
        GIT_CONFIG_NOSYSTEM: "1",
        GIT_CONFIG_GLOBAL: "/dev/null",
        GIT_PAGER: "cat",
        LC_ALL: "C",
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      if (stderr.length < 64 * 1024) stderr += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 10 * 60_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new PermanentError(`git could not be started: ${error.message}`, { cause: error, code: "git_missing" }));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve({ stdout, stderr });
      const what = `git ${args.find((a) => !a.startsWith("-")) ?? ""}`.trim();
      const detail = redact(stderr.trim().split("\n").slice(-5).join(" | ")) || `exit ${code}`;
      if (signal === "SIGKILL") {
        return reject(
          new TransientError(`${what} timed out after ${options.timeoutMs ?? 600_000} ms`, { code: "git_timeout" }),
        );
      }
      const ErrorType = TRANSIENT.test(stderr) ? TransientError : PermanentError;
      reject(new ErrorType(`${what} failed: ${detail}`, { code: "git_failed" }));
    });
  });
}
