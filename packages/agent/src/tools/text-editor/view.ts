import type { GuardedPath } from "../../paths/path-guard.js";
import { capText } from "../cap-text.js";
import type { ToolContext } from "../tool-context.js";
import { ToolError } from "../tool-error.js";
import { numberedLines, splitLines } from "./numbered-lines.js";
import { readTextFile } from "./read-text-file.js";

const MAX_LISTED_ENTRIES = 400;

export async function viewPath(
  ctx: ToolContext,
  path: GuardedPath,
  shownPath: string,
  viewRange: readonly [number, number] | undefined,
): Promise<string> {
  const st = path.stat;
  if (st.kind === "directory") {
    if (viewRange) throw new ToolError("view_range only applies to files; view the directory without it.");
    return listDirectory(ctx, path, shownPath);
  }
  const file = await readTextFile(ctx, path, shownPath);
  const lines = splitLines(file.text);
  let from = 1;
  let to = lines.length;
  if (viewRange) {
    const [start, end] = viewRange;
    if (start < 1 || start > Math.max(lines.length, 1)) {
      throw new ToolError(
        `Invalid view_range [${start}, ${end}]: the first line must be between 1 and ${lines.length} (the file has ${lines.length} lines).`,
      );
    }
    if (end !== -1 && end < start) {
      throw new ToolError(
        `Invalid view_range [${start}, ${end}]: the last line must be -1 (to the end) or at least ${start}.`,
      );
    }
    from = start;
    to = end === -1 ? lines.length : Math.min(end, lines.length);
  }
  const body = numberedLines(lines.slice(from - 1, to), from);
  const header = `Here's the content of ${shownPath} (lines ${from}-${to} of ${lines.length}):\n`;
  return (
    header +
    capText(body, ctx.maxResultChars - header.length, "Use view_range to see the lines that were left out.").text
  );
}

async function listDirectory(ctx: ToolContext, path: GuardedPath, shownPath: string): Promise<string> {
  // Two levels, hidden entries and dependency folders left out, as the reference editor does.
  const r = await ctx.sandbox.exec(
    [
      "sh",
      "-c",
      'cd "$1" && find . -mindepth 1 -maxdepth 2 -not -path "*/.*" -not -path "*/node_modules/*" \\( -type d -printf "%p/\\n" -o -printf "%p\\n" \\)',
      "sh",
      path.real,
    ],
    { timeoutMs: 30_000, maxOutputBytes: 1024 * 1024 },
  );
  if (r.exitCode !== 0)
    throw new ToolError(`Could not list ${shownPath}: ${r.stderr.trim() || `exit code ${r.exitCode}`}`);
  const entries = r.stdout
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => line.replace(/^\.\//, ""))
    .sort();
  const shown = entries.slice(0, MAX_LISTED_ENTRIES);
  const more =
    entries.length > shown.length || r.truncated
      ? `\n[more entries not shown; use bash (ls, find) to look further.]`
      : "";
  return `Here are the files and directories up to 2 levels deep in ${shownPath}, excluding hidden items and node_modules:\n${shown.join("\n")}${more}`;
}
