import { createHash } from "node:crypto";
import { normalizeErrorLine } from "./normalize-error-line.js";

/** Lines that say what failed, in the shapes of common tools; the rest of a log is context. */
const ERROR_LINE =
  /(##\[error\]|\berror\b|\bError:|\bFAIL\b|\bfailed\b|✗|×|✘|AssertionError|Traceback|panicked at|--- FAIL|exit code [1-9]|expected .* (?:to|but)|Expected|Received)/i;

export interface FailureSignature {
  /** 16 hex characters: the same failure on another run, machine or day gives the same value. */
  hash: string;
  /** The normalized lines it was made from, for people and the hint store. */
  lines: string[];
}

/**
 * A stable identity for a failure: the set of its normalized error lines. Order and repetition
 * do not count (parallel test output interleaves differently on every run).
 */
export function failureSignature(logExcerpts: readonly string[], maxLines = 50): FailureSignature {
  const lines = new Set<string>();
  for (const excerpt of logExcerpts) {
    for (const raw of excerpt.split("\n")) {
      if (!ERROR_LINE.test(raw)) continue;
      const line = normalizeErrorLine(raw);
      if (line.length > 0) lines.add(line.slice(0, 300));
    }
  }
  const sorted = [...lines].sort().slice(0, maxLines);
  // No recognizable error line: fall back to the normalized tail, still stable across runs.
  const basis =
    sorted.length > 0
      ? sorted
      : logExcerpts
          .join("\n")
          .split("\n")
          .slice(-10)
          .map(normalizeErrorLine)
          .filter((l) => l.length > 0);
  const hash = createHash("sha256").update(basis.join("\n")).digest("hex").slice(0, 16);
  return { hash, lines: basis };
}
