/** `cat -n` style: the line numbers the model uses for `view_range` and `insert_line`. */
export function numberedLines(lines: readonly string[], firstLineNumber: number): string {
  return lines.map((line, i) => `${String(firstLineNumber + i).padStart(6)}\t${line}`).join("\n");
}

export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  // A trailing newline ends the last line; it does not start an empty one.
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** A few numbered lines around an edit, so the model sees what it changed without a new view. */
export function snippetAround(text: string, startLine: number, lineCount: number, context = 4): string {
  const lines = splitLines(text);
  const from = Math.max(1, startLine - context);
  const to = Math.min(lines.length, startLine + Math.max(lineCount, 1) - 1 + context);
  return numberedLines(lines.slice(from - 1, to), from);
}
