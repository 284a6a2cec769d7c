import type { GuardedPath } from "../../paths/path-guard.js";
import type { ToolContext } from "../tool-context.js";

/**
 * Writes through the sandbox API (which creates parent directories) to the resolved path, so a
 * symlink inside the workspace is written through, not replaced; the file keeps its mode.
 */
export async function writeTextFile(ctx: ToolContext, path: GuardedPath, text: string, mode: number): Promise<void> {
  await ctx.sandbox.writeFile(path.real, text, { mode });
}
