import { createRedactor, REDACTED, type Redactor } from "@fixfleet/shared";
import type { FailureWindow, LogExcerpt } from "./log-excerpt.js";

export interface RenderOptions {
  /** Upper bound of the rendered text, in characters. */
  budgetChars?: number;
  /** Share of the budget the tail may take when there are failure windows. */
  tailShare?: number;
  /** Secret values known to the caller (tokens); credential shapes are redacted regardless. */
  secrets?: Iterable<string | undefined>;
  /** A title for the header, e.g. the job's name. */
  title?: string;
}

// GitHub writes `***` where it masked a secret; `make: *** [target] Error 1` is not a mask.
const GITHUB_MASK = /(?<!make(?:\[\d+\])?: )\*\*\*(?! \[)/g;

/**
 * The text the model sees: the failure windows, strongest first when they do not all fit but
 * printed in log order, then the log's tail, all redacted and within the budget.
 */
export function renderExcerpt(excerpt: LogExcerpt, options: RenderOptions = {}): string {
  const budget = options.budgetChars ?? 16_000;
  const redactKnown = createRedactor(options.secrets ?? []);
  const redact: Redactor = (t) => redactKnown(t).replace(GITHUB_MASK, REDACTED);
  const { stats } = excerpt;

  const header = [
    `${options.title ? `${options.title}: ` : ""}job log of ${stats.lines.toLocaleString("en-US")} lines (${formatBytes(stats.bytes)}),`,
    `${stats.failureLines} failure line${stats.failureLines === 1 ? "" : "s"} in ${stats.windowsFound} section${stats.windowsFound === 1 ? "" : "s"}.`,
  ].join(" ");

  // The tail is what follows the last failure section; lines before it were judged noise.
  const lastWindowEnd = excerpt.windows.reduce((m, w) => Math.max(m, w.endLine), 0);
  const tailLines = excerpt.tail.lines
    .map((text, i) => ({ n: excerpt.tail.startLine + i, text: redact(text) }))
    .filter((l) => l.n > lastWindowEnd);

  const tailBudget = excerpt.windows.length > 0 ? Math.floor(budget * (options.tailShare ?? 0.25)) : budget;
  const tail = fitFromEnd(tailLines, tailBudget - 40);
  let remaining = budget - header.length - sizeOf(tail.map((t) => t.text)) - 120;

  const byStrength = [...excerpt.windows].sort((a, b) => b.weight - a.weight || a.startLine - b.startLine);
  const chosen: Array<{ window: FailureWindow; lines: string[]; cut: boolean }> = [];
  for (const window of byStrength) {
    const heading = sectionHeading(window);
    const lines = window.lines.map(redact);
    const size = heading.length + 1 + sizeOf(lines);
    if (size <= remaining) {
      chosen.push({ window, lines, cut: false });
      remaining -= size;
    } else if (remaining > 400) {
      const kept = fitAroundMatch(lines, window.matched[0] ?? 0, remaining - heading.length - 60);
      chosen.push({ window, lines: kept, cut: true });
      remaining = 0;
    }
  }
  const omitted = excerpt.windows.length - chosen.length + excerpt.stats.windowsDropped;

  const out: string[] = [header];
  for (const { window, lines, cut } of chosen.sort((a, b) => a.window.startLine - b.window.startLine)) {
    out.push("", sectionHeading(window), ...lines);
    if (cut) out.push("[… section shortened to fit]");
  }
  if (omitted > 0) out.push("", `[${omitted} weaker failure section${omitted === 1 ? "" : "s"} omitted to fit]`);
  if (tail.length > 0) {
    out.push("", `── end of log · lines ${tail[0]!.n}–${tail[tail.length - 1]!.n} ──`, ...tail.map((t) => t.text));
  }
  return out.join("\n");
}

function sectionHeading(w: FailureWindow): string {
  const where = w.step ? `${w.step} · ` : "";
  return `── ${where}lines ${w.startLine}–${w.endLine} (${w.tools.join(", ")}) ──`;
}

function sizeOf(lines: string[]): number {
  return lines.reduce((s, l) => s + l.length + 1, 0);
}

function fitFromEnd<T extends { text: string }>(lines: T[], budget: number): T[] {
  const kept: T[] = [];
  let used = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    const size = lines[i]!.text.length + 1;
    if (used + size > budget) break;
    kept.unshift(lines[i]!);
    used += size;
  }
  return kept;
}

/** Keeps the matched line and as much as fits around it, favouring what follows. */
function fitAroundMatch(lines: string[], at: number, budget: number): string[] {
  let start = at;
  let end = at;
  let used = (lines[at]?.length ?? 0) + 1;
  for (let grow = true; grow; ) {
    grow = false;
    const next = lines[end + 1];
    if (next !== undefined && used + next.length + 1 <= budget) {
      end++;
      used += next.length + 1;
      grow = true;
    }
    const prev = start > 0 && end - at >= (at - start) * 2 ? lines[start - 1] : undefined;
    if (prev !== undefined && used + prev.length + 1 <= budget) {
      start--;
      used += prev.length + 1;
      grow = true;
    }
  }
  return lines.slice(start, end + 1).map((l) => (l.length > budget ? l.slice(0, Math.max(0, budget)) : l));
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
