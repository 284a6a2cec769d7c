import { posix } from "node:path";
import { PermanentError } from "@fixfleet/shared";
import type { FailedJob } from "../failure-input.js";
import type { AgentSandbox } from "../sandbox-port.js";

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 80) || "job"
  );
}

/**
 * The sandbox's /tmp is a tmpfs counted against its memory: a log over the cap keeps its first
 * part (setup, the first errors) and its end (the failure summary), with a line saying what was cut.
 */
function capLog(log: string, maxChars: number): string {
  if (log.length <= maxChars) return log;
  const head = Math.floor(maxChars * 0.25);
  const tail = maxChars - head;
  return `${log.slice(0, head)}\n[... fixfleet: ${log.length - head - tail} characters of this log left out ...]\n${log.slice(log.length - tail)}`;
}

/**
 * Puts each failed job's whole log (redacted) into the sandbox, outside the repository, so the
 * model can grep megabytes it never receives in the prompt. Written through an exec's stdin
 * rather than an archive upload: the directory may be a tmpfs, where archive uploads do not land.
 */
export async function placeLogs(
  sandbox: AgentSandbox,
  jobs: readonly FailedJob[],
  logsDir: string,
  redact: (text: string) => string,
  maxChars: number,
): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const used = new Set<string>();
  for (const job of jobs) {
    let name = slug(job.name);
    for (let i = 2; used.has(name); i++) name = `${slug(job.name)}-${i}`;
    used.add(name);
    const path = posix.join(logsDir, `${name}.log`);
    const r = await sandbox.exec(["sh", "-c", 'mkdir -p "$(dirname "$1")" && cat > "$1"', "sh", path], {
      stdin: redact(capLog(job.fullLog ?? job.logExcerpt, maxChars)),
      timeoutMs: 60_000,
      maxOutputBytes: 16_384,
    });
    if (r.exitCode !== 0) {
      throw new PermanentError(
        `could not place the log of "${job.name}" at ${path} in the sandbox: ${r.stderr.trim()}`,
        {
          code: "sandbox_logs",
        },
      );
    }
    files.set(job.name, path);
  }
  return files;
}
