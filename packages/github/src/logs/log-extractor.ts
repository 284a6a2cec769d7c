import { matchFailure } from "./failure-matchers.js";
import type { FailureWindow, LogExcerpt } from "./log-excerpt.js";
import { normalizeLine } from "./normalize-line.js";

export interface LogExtractorOptions {
  /** Lines kept before each failure line. */
  contextBefore?: number;
  /** Lines kept after a failure line whose matcher names no number of its own. */
  contextAfter?: number;
  /** Lines of the log's end always kept. */
  tailLines?: number;
  /** A longer line is cut (minified bundles, base64 blobs). */
  maxLineLength?: number;
  /** A window grows to at most this many lines; the next failure opens a new one. */
  maxWindowLines?: number;
  /** Upper bound of characters held in windows while reading; the weakest are dropped first. */
  maxStoredChars?: number;
  /** Key lines remembered for the summary. */
  maxKeyLines?: number;
}

interface OpenWindow extends FailureWindow {
  chars: number;
  openUntil: number;
}

const DEFAULTS = {
  contextBefore: 5,
  contextAfter: 3,
  tailLines: 30,
  maxLineLength: 800,
  maxWindowLines: 80,
  maxStoredChars: 256 * 1024,
  maxKeyLines: 12,
} satisfies Required<LogExtractorOptions>;

/**
 * Reads a job log one line at a time and keeps only what explains the failure: windows of
 * context around failure lines, and the tail. Memory is bounded by the options, never by the
 * log's size, so a log of hundreds of megabytes can stream through.
 */
export class LogExtractor {
  private readonly o: Required<LogExtractorOptions>;
  private lineNo = 0;
  private bytes = 0;
  private failureLines = 0;
  private windowsFound = 0;
  private windowsDropped = 0;
  private linesTruncated = 0;
  private step: string | undefined;
  private readonly before: Array<{ n: number; text: string }> = [];
  private readonly tail: Array<{ n: number; text: string }> = [];
  private readonly windows: OpenWindow[] = [];
  private storedChars = 0;
  private open: OpenWindow | undefined;
  private keyLines: Array<{ weight: number; n: number; text: string }> = [];

  constructor(options: LogExtractorOptions = {}) {
    this.o = { ...DEFAULTS, ...options };
  }

  /** Feeds one raw line (without its newline). */
  push(raw: string): void {
    this.bytes += Buffer.byteLength(raw) + 1;
    const line = normalizeLine(raw);
    if (line.kind === "drop" || line.kind === "endgroup") return;
    if (line.kind === "group" && line.text.startsWith("Run ")) this.step = line.text;
    let text = line.text;
    if (text.length > this.o.maxLineLength) {
      this.linesTruncated++;
      text = `${text.slice(0, this.o.maxLineLength)} … [${text.length - this.o.maxLineLength} characters cut]`;
    }
    const n = ++this.lineNo;
    const matcher = line.kind === "text" || line.kind === "error" ? matchFailure(text) : undefined;

    if (matcher) {
      this.failureLines++;
      this.rememberKeyLine(matcher.weight, n, text);
      const after = matcher.after ?? this.o.contextAfter;
      if (this.open && this.open.lines.length < this.o.maxWindowLines) {
        this.append(this.open, text, true);
        this.open.openUntil = Math.max(this.open.openUntil, n + after);
        this.open.weight = Math.max(this.open.weight, matcher.weight);
        if (!this.open.tools.includes(matcher.tool)) this.open.tools.push(matcher.tool);
      } else {
        this.startWindow(n, text, matcher.tool, matcher.weight, after);
      }
    } else if (this.open && n <= this.open.openUntil && this.open.lines.length < this.o.maxWindowLines) {
      this.append(this.open, text, false);
    } else {
      if (this.open) this.open = undefined;
      this.before.push({ n, text });
      if (this.before.length > this.o.contextBefore) this.before.shift();
    }

    this.tail.push({ n, text });
    if (this.tail.length > this.o.tailLines) this.tail.shift();
  }

  finish(): LogExcerpt {
    this.open = undefined;
    const windows = this.windows.map(({ chars: _c, openUntil: _o, ...w }) => w);
    const first = this.tail[0];
    const keyLines = [...this.keyLines].sort((a, b) => a.n - b.n).map((k) => k.text);
    return {
      windows,
      tail: { startLine: first?.n ?? 1, lines: this.tail.map((t) => t.text) },
      keyLines,
      stats: {
        bytes: this.bytes,
        lines: this.lineNo,
        failureLines: this.failureLines,
        windowsFound: this.windowsFound,
        windowsDropped: this.windowsDropped,
        linesTruncated: this.linesTruncated,
      },
    };
  }

  private startWindow(n: number, text: string, tool: string, weight: number, after: number): void {
    const context = this.before.splice(0);
    const last = this.windows[this.windows.length - 1];
    const start = context[0]?.n ?? n;
    if (last && last.endLine + 1 >= start && last.lines.length + context.length < this.o.maxWindowLines) {
      // Adjacent to the previous window: one section reads better than two.
      for (const c of context) this.append(last, c.text, false);
      this.open = last;
      this.append(last, text, true);
      last.openUntil = n + after;
      last.weight = Math.max(last.weight, weight);
      if (!last.tools.includes(tool)) last.tools.push(tool);
      return;
    }
    const w: OpenWindow = {
      startLine: start,
      endLine: n,
      step: this.step,
      tools: [tool],
      weight,
      lines: context.map((c) => c.text),
      matched: [],
      chars: context.reduce((s, c) => s + c.text.length + 1, 0),
      openUntil: n + after,
    };
    this.storedChars += w.chars;
    this.windowsFound++;
    this.windows.push(w);
    this.open = w;
    this.append(w, text, true);
    this.evictOverBudget();
  }

  private append(w: OpenWindow, text: string, matched: boolean): void {
    if (matched) w.matched.push(w.lines.length);
    w.lines.push(text);
    w.endLine = this.lineNo;
    w.chars += text.length + 1;
    this.storedChars += text.length + 1;
    if (this.storedChars > this.o.maxStoredChars) this.evictOverBudget();
  }

  /** Drops the weakest windows (the latest among equals) until the store fits again. */
  private evictOverBudget(): void {
    while (this.storedChars > this.o.maxStoredChars && this.windows.length > 1) {
      let victim = -1;
      for (let i = 0; i < this.windows.length; i++) {
        const w = this.windows[i]!;
        if (w === this.open) continue;
        if (victim < 0 || w.weight <= this.windows[victim]!.weight) victim = i;
      }
      if (victim < 0) return;
      const [dropped] = this.windows.splice(victim, 1);
      this.storedChars -= dropped!.chars;
      this.windowsDropped++;
    }
  }

  private rememberKeyLine(weight: number, n: number, text: string): void {
    const trimmed = text.trim();
    if (trimmed.length === 0 || this.keyLines.some((k) => k.text === trimmed)) return;
    this.keyLines.push({ weight, n, text: trimmed });
    if (this.keyLines.length > this.o.maxKeyLines) {
      // Keep the strongest; among equals, the earliest (the first error is usually the cause).
      let victim = 0;
      for (let i = 1; i < this.keyLines.length; i++) {
        const k = this.keyLines[i]!;
        const v = this.keyLines[victim]!;
        if (k.weight < v.weight || (k.weight === v.weight && k.n > v.n)) victim = i;
      }
      this.keyLines.splice(victim, 1);
    }
  }
}
