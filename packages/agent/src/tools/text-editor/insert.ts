import type { GuardedPath } from "../../paths/path-guard.js";
import type { ToolContext } from "../tool-context.js";
import { ToolError } from "../tool-error.js";
import { snippetAround, splitLines } from "./numbered-lines.js";
import { readTextFile } from "./read-text-file.js";
import { writeTextFile } from "./write-text-file.js";

export async function insertText(
  ctx: ToolContext,
  path: GuardedPath,
  shownPath: string,
  insertLine: number,
  text: string,
): Promise<string> {
  const file = await readTextFile(ctx, path, shownPath);
  const eol = file.text.includes("\r\n") ? "\r\n" : "\n";
  const lines = splitLines(file.text);
  if (!Number.isInteger(insertLine) || insertLine < 0 || insertLine > lines.length) {
    throw new ToolError(
      `Invalid insert_line ${insertLine}: it must be between 0 (before the first line) and ${lines.length} (after the last line of ${shownPath}).`,
    );
  }
  const inserted = splitLines(text.replace(/\r?\n/g, "\n")).map((l) => (eol === "\r\n" ? `${l}\r` : l));
  // In a CRLF file every line already keeps its trailing \r.
  const next = [...lines.slice(0, insertLine), ...inserted, ...lines.slice(insertLine)].join("\n");
  const endsWithNewline = file.text.endsWith("\n") || file.text === "";
  const content = endsWithNewline ? `${next}\n` : next;
  await writeTextFile(ctx, path, content, file.mode);
  return `The file ${shownPath} has been edited: ${inserted.length} line(s) inserted after line ${insertLine}.\n${snippetAround(content, insertLine + 1, inserted.length)}\nReview it; edit again if it is not what you meant.`;
}
