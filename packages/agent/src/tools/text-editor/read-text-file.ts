import type { GuardedPath } from "../../paths/path-guard.js";
import type { ToolContext } from "../tool-context.js";
import { ToolError } from "../tool-error.js";

/** Files larger than this are not loaded whole; the model reads parts with bash (grep, sed -n). */
export const MAX_EDITABLE_BYTES = 4 * 1024 * 1024;

export interface TextFile {
  text: string;
  mode: number;
  size: number;
}

/** Reads a text file for viewing or editing, with an error the model can act on otherwise. */
export async function readTextFile(ctx: ToolContext, path: GuardedPath, shownPath: string): Promise<TextFile> {
  const st = path.stat;
  if (st.kind === "missing") {
    throw new ToolError(
      `The path ${shownPath} does not exist. Use view on a directory (e.g. the repository root) to find the right path.`,
    );
  }
  if (st.kind === "directory") {
    throw new ToolError(
      `The path ${shownPath} is a directory. Use view on it to list its contents, or give a file path.`,
    );
  }
  if (st.kind !== "file") throw new ToolError(`The path ${shownPath} is not a regular file.`);
  if (st.size > MAX_EDITABLE_BYTES) {
    throw new ToolError(
      `The file ${shownPath} is ${st.size} bytes, more than the ${MAX_EDITABLE_BYTES} this tool loads. Use bash to read parts of it (grep -n PATTERN, sed -n 'START,ENDp').`,
    );
  }
  const buf = await readBytes(ctx, path);
  if (buf.includes(0)) {
    throw new ToolError(`The file ${shownPath} is binary (${buf.length} bytes); this tool only works on text files.`);
  }
  return { text: buf.toString("utf8"), mode: st.mode, size: st.size };
}

/**
 * Repository files come through the sandbox's archive API; the read-only areas (the logs) sit on
 * a tmpfs, which archive calls cannot see, so those are read with `cat` in an exec.
 */
async function readBytes(ctx: ToolContext, path: GuardedPath): Promise<Buffer> {
  if (path.area === "workspace") return ctx.sandbox.readFile(path.real, { maxBytes: MAX_EDITABLE_BYTES });
  const r = await ctx.sandbox.exec(["cat", "--", path.real], {
    timeoutMs: 60_000,
    maxOutputBytes: MAX_EDITABLE_BYTES + 1,
  });
  if (r.exitCode !== 0)
    throw new ToolError(`Could not read ${path.real}: ${r.stderr.trim() || `exit code ${r.exitCode}`}`);
  return r.stdoutBytes ?? Buffer.from(r.stdout);
}
