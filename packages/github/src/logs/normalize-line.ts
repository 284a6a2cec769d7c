/** What one raw job-log line means once GitHub's decorations are removed. */
export type NormalizedLine =
  | { kind: "text"; text: string }
  /** `##[group]Title`: a step (or a collapsible section) starts; the title is kept as text. */
  | { kind: "group"; text: string }
  | { kind: "endgroup" }
  /** `##[error]message`: GitHub's own error annotation. */
  | { kind: "error"; text: string }
  | { kind: "drop" };

// `2026-11-29T09:14:02.0370000Z ` — every line of a job log starts with one.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z ?/;
// CSI sequences (colours, cursor moves), OSC sequences (hyperlinks, titles) and lone escapes.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal escapes is the point
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-_]/g;
const MARKER = /^##\[(group|endgroup|error|warning|notice|debug|command|section)\]/;

/**
 * Strips the timestamp, terminal escapes and GitHub's `##[...]` markers from one line. A line
 * that a progress bar redrew with `\r` keeps only what was finally shown.
 */
export function normalizeLine(raw: string): NormalizedLine {
  let line = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  line = line.replace(TIMESTAMP, "");
  if (line.includes("\u001b")) line = line.replace(ANSI, "");
  if (line.includes("\r")) {
    const parts = line.split("\r").filter((p) => p.length > 0);
    line = parts[parts.length - 1] ?? "";
  }
  const marker = MARKER.exec(line);
  if (!marker) {
    if (line.startsWith("[command]")) return { kind: "text", text: `$ ${line.slice(9)}` };
    return { kind: "text", text: line };
  }
  const rest = line.slice(marker[0].length);
  switch (marker[1]) {
    case "group":
      return { kind: "group", text: rest };
    case "endgroup":
      return { kind: "endgroup" };
    case "error":
      return { kind: "error", text: `Error: ${rest}` };
    case "warning":
      return { kind: "text", text: `Warning: ${rest}` };
    case "notice":
      return { kind: "text", text: `Notice: ${rest}` };
    case "command":
      return { kind: "text", text: `$ ${rest}` };
    case "debug":
      return { kind: "drop" };
    default:
      return { kind: "text", text: rest };
  }
}
