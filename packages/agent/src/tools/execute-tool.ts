import { classifyError } from "@fixfleet/shared";
import type { BashSession } from "./bash-session.js";
import { BASH_NAME, runBash } from "./bash-tool.js";
import { capText } from "./cap-text.js";
import { runTextEditor, TEXT_EDITOR_NAME } from "./text-editor/index.js";
import type { ToolContext, ToolOutcome } from "./tool-context.js";
import { ToolError } from "./tool-error.js";

const PER_CALL_CODES = new Set([
  "file_not_found",
  "is_directory",
  "not_a_file",
  "file_too_large",
  "write_failed",
  "symlink_loop",
]);

/**
 * One tool call → one result for the model. Model mistakes and guard refusals come back as
 * `is_error` results; a sandbox that is gone or unreachable is thrown, since no tool result
 * can help the model with that.
 */
export async function executeTool(
  ctx: ToolContext,
  session: BashSession,
  name: string,
  input: unknown,
): Promise<ToolOutcome> {
  try {
    let outcome: ToolOutcome;
    if (name === TEXT_EDITOR_NAME) outcome = { content: await runTextEditor(ctx, input), isError: false };
    else if (name === BASH_NAME) outcome = await runBash(ctx, session, input);
    else throw new ToolError(`There is no tool named "${name}". Use ${TEXT_EDITOR_NAME} or ${BASH_NAME}.`);
    return { ...outcome, content: capText(ctx.redact(outcome.content), ctx.maxResultChars).text };
  } catch (error) {
    if (error instanceof ToolError) {
      const outcome: ToolOutcome = { content: ctx.redact(error.message), isError: true };
      if (error.rule) outcome.rule = error.rule;
      return outcome;
    }
    const classified = classifyError(error);
    // The sandbox refused this one call (a file vanished, a directory where a file was meant):
    // the model can act on that. A sandbox that is gone or unreachable ends the run.
    if (classified.kind === "permanent" && PER_CALL_CODES.has(classified.code)) {
      return { content: ctx.redact(`The operation failed: ${classified.reason}`), isError: true };
    }
    throw classified;
  }
}
