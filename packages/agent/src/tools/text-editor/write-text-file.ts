import { posix } from "node:path";
import type { GuardedPath } from "../../paths/path-guard.js";
import type { ToolContext } from "../tool-context.js";
import { ToolError } from "../tool-error.js";

/** Writes through the sandbox API to the resolved path (never through a symlink), keeping the mode. */
export async function writeTextFile(ctx: ToolContext, path: GuardedPath, text: string, mode: number): Promise<void> {
  const dir = posix.dirname(path.real);
  const r = await ctx.sandbox.exec(["mkdir", "-p", "--", dir], { timeoutMs: 15_000, maxOutputBytes: 4096 });
  if (r.exitCode !== 0) throw new ToolError(`Could not create the directory ${dir}: ${r.stderr.trim()}`);
  await ctx.sandbox.writeFile(path.real, text, { mode });
}
