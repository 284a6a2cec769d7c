import type { GuardedPath } from "../../paths/path-guard.js";
import type { ToolContext } from "../tool-context.js";
import { ToolError } from "../tool-error.js";
import { snippetAround } from "./numbered-lines.js";
import { readTextFile } from "./read-text-file.js";
import { writeTextFile } from "./write-text-file.js";

function occurrences(haystack: string, needle: string): number[] {
  const at: number[] = [];
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + needle.length)) at.push(i);
  return at;
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export async function strReplace(
  ctx: ToolContext,
  path: GuardedPath,
  shownPath: string,
  oldStr: string,
  newStr: string,
): Promise<string> {
  if (oldStr === "")
    throw new ToolError("old_str is empty. Give the exact text to replace, including enough lines to be unique.");
  const file = await readTextFile(ctx, path, shownPath);
  let needle = oldStr;
  let replacement = newStr;
  let found = occurrences(file.text, needle);
  // Models write "\n"; a file with CRLF line endings still matches, and keeps its endings.
  if (found.length === 0 && file.text.includes("\r\n") && !oldStr.includes("\r\n")) {
    needle = oldStr.replace(/\n/g, "\r\n");
    replacement = newStr.replace(/\r?\n/g, "\r\n");
    found = occurrences(file.text, needle);
  }
  if (found.length === 0) {
    throw new ToolError(
      `No replacement was performed: old_str was found 0 times in ${shownPath}. It must match the file exactly, whitespace and indentation included; view the file (without line-number prefixes) and copy the text.`,
    );
  }
  if (found.length > 1) {
    const lines = found.slice(0, 10).map((i) => lineOf(file.text, i));
    throw new ToolError(
      `No replacement was performed: old_str was found ${found.length} times in ${shownPath} (lines ${lines.join(", ")}). It must be unique; include more surrounding lines.`,
    );
  }
  const at = found[0] as number;
  const next = file.text.slice(0, at) + replacement + file.text.slice(at + needle.length);
  await writeTextFile(ctx, path, next, file.mode);
  const startLine = lineOf(next, at);
  const lineCount = replacement.split("\n").length;
  return `The file ${shownPath} has been edited. Here is the result around the change:\n${snippetAround(next, startLine, lineCount)}\nReview it; edit again if it is not what you meant.`;
}
