import { stringify } from "yaml";
import type { FailureInput, VerifyCommand } from "../failure-input.js";
import type { AgentMode } from "../run-options.js";
import { capText } from "../tools/cap-text.js";
import { fence } from "./fence.js";
import { renderFixHint } from "./fix-hint.js";

export interface FailureContextOptions {
  workspace: string;
  logsDir: string;
  /** Where each job's full log was placed, by job name. */
  logFiles: ReadonlyMap<string, string>;
  commands: readonly VerifyCommand[];
  protectedPaths: readonly string[];
  /** Most characters of one job's log extract in the prompt. */
  maxExcerptChars: number;
  /** Most characters of the hint's summary. */
  maxHintChars: number;
  /** "explain": the task is a diagnosis, nothing is changed or verified (default "fix"). */
  mode?: AgentMode;
  redact: (text: string) => string;
}

/**
 * The failure context: the first user message, identical on every turn of a run (and cached).
 * Everything in it came from outside (CI logs, config), so all of it is redacted here.
 */
export function renderFailureContext(failure: FailureInput, options: FailureContextOptions): string {
  const explain = options.mode === "explain";
  const out: string[] = ["# The failure"];
  const about = [
    failure.repository && `Repository: ${failure.repository}`,
    failure.sha && `Commit: ${failure.sha}`,
    failure.pr !== undefined && `Pull request: #${failure.pr}`,
  ].filter(Boolean);
  if (about.length) out.push(about.join("\n"));

  out.push(`## Failed jobs (${failure.jobs.length})`);
  for (const job of failure.jobs) {
    const file = options.logFiles.get(job.name);
    out.push(`### ${job.name}`);
    if (file) out.push(`Full log: ${file}`);
    const excerpt = capText(job.logExcerpt, options.maxExcerptChars, file ? `Read ${file} for the rest.` : "").text;
    out.push(excerpt.trim() ? fence(excerpt) : "(no log extract; read the full log)");
  }

  out.push(explain ? "## Commands that failed" : "## Commands that failed (each is re-run to verify your fix)");
  for (const c of options.commands) out.push(`- \`${c.command}\`${c.cwd !== "." ? ` (in ${c.cwd})` : ""}`);

  out.push("## Scope of the fix");
  const scope = failure.scope;
  if (scope?.units?.length) {
    for (const unit of scope.units) {
      const where = (unit.dirs ?? unit.globs ?? []).join(", ") || "(no directories)";
      const verify = (unit.verify ?? []).map((v) => `\`${v.command}\``).join(", ");
      out.push(`- ${unit.name ?? where}: ${where}${verify ? `; verified with ${verify}` : ""}`);
    }
    if (scope.writable?.length) out.push(`Writable paths: ${scope.writable.join(", ")}`);
    if (scope.rootFiles === "read-only")
      out.push("Files at the repository root (lockfiles, shared configs) are read-only.");
  } else {
    out.push("The whole repository (no narrower scope was determined).");
  }
  out.push(`Protected paths (never changed): ${options.protectedPaths.join(", ")}`);

  if (failure.changedFiles?.length) {
    const shown = failure.changedFiles.slice(0, 200);
    out.push(`## Files changed by the pull request (${failure.changedFiles.length})`);
    out.push(shown.map((f) => `- ${f}`).join("\n"));
    if (failure.changedFiles.length > shown.length)
      out.push(`(and ${failure.changedFiles.length - shown.length} more)`);
  }

  if (failure.repoConfig !== undefined && failure.repoConfig !== null) {
    out.push("## Repository config (.github/fixfleet.yml)");
    out.push(fence(capText(stringify(failure.repoConfig), 8000).text));
  }

  const hint = renderFixHint(failure.hint, options.maxHintChars);
  if (hint) out.push(hint);

  out.push(
    explain
      ? `## Your task\nThe repository is at ${options.workspace}; full logs are in ${options.logsDir}/. This run is analysis only: read the failure, reproduce it, find the cause, then stop with the diagnosis and the change you would suggest. Change no file.`
      : `## Your task\nThe repository is at ${options.workspace}; full logs are in ${options.logsDir}/. Follow the procedure: read the failure, reproduce it, make the smallest correct change, run the failing commands, then stop with a short explanation.`,
  );
  return options.redact(out.join("\n\n"));
}
