import type { GuardedPath } from "../../paths/path-guard.js";
import type { ToolContext } from "../tool-context.js";
import { ToolError } from "../tool-error.js";
import { writeTextFile } from "./write-text-file.js";

export async function createFile(
  ctx: ToolContext,
  path: GuardedPath,
  shownPath: string,
  fileText: string,
): Promise<string> {
  const st = path.stat;
  if (st.kind === "directory") throw new ToolError(`The path ${shownPath} is a directory; create needs a file path.`);
  if (st.kind === "other") throw new ToolError(`The path ${shownPath} exists and is not a regular file.`);
  await writeTextFile(ctx, path, fileText, st.kind === "file" ? st.mode : 0o644);
  return st.kind === "file" ? `File overwritten: ${shownPath}` : `File created successfully at: ${shownPath}`;
}
