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
 * Puts each failed job's whole log (redacted) into the sandbox, outside the repository, so the
 * model can grep megabytes it never receives in the prompt. Written through an exec's stdin
 * rather than an archive upload: the directory may be a tmpfs, where archive uploads do not land.
 */
export async function placeLogs(
  sandbox: AgentSandbox,
  jobs: readonly FailedJob[],
  logsDir: string,
  redact: (text: string) => string,
): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const used = new Set<string>();
  for (const job of jobs) {
    let name = slug(job.name);
    for (let i = 2; used.has(name); i++) name = `${slug(job.name)}-${i}`;
    used.add(name);
    const path = posix.join(logsDir, `${name}.log`);
    const r = await sandbox.exec(["sh", "-c", 'mkdir -p "$(dirname "$1")" && cat > "$1"', "sh", path], {
      stdin: redact(job.fullLog ?? job.logExcerpt),
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
