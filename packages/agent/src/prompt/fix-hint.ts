import type { FixHint } from "../failure-input.js";
import { capText } from "../tools/cap-text.js";
import { fence } from "./fence.js";

// Branch names and shas come from records, not from git: one short line each, whatever they hold.
function oneLine(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function isoDay(at: number): string | undefined {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString().slice(0, 10);
}

/**
 * The hint section of the failure context: a fix that worked for the same failure signature
 * before. It is labelled as a hint that may not apply, because a signature ignores paths, line
 * numbers and the code around the error, so the same lines can have a different cause now. No
 * summary → no section. The caller redacts (the whole context goes through `redact`).
 */
export function renderFixHint(hint: FixHint | undefined, maxChars: number): string | undefined {
  if (!hint?.summary.trim()) return undefined;
  const origin = [
    hint.pr !== undefined && `pull request #${hint.pr}`,
    hint.branch && `branch ${oneLine(hint.branch)}`,
    hint.commitSha && `commit ${oneLine(hint.commitSha, 64)}`,
    hint.at !== undefined && isoDay(hint.at),
  ].filter(Boolean);
  const summary = capText(hint.summary.trim(), maxChars, "The rest of the earlier summary is not shown.").text;
  return [
    "## A fix that worked for the same failure before (a hint; it may not apply)",
    `A failure with the same signature in this repository was fixed before by the change summarised below${origin.length ? ` (${origin.join(", ")})` : ""}. The code has changed since, and the same error lines can have another cause: confirm the cause yourself before following it, and never copy it blindly.`,
    fence(summary),
  ].join("\n\n");
}
