import { z } from "zod";
import type { ToolContext } from "../tool-context.js";
import { ToolError } from "../tool-error.js";
import { createFile } from "./create.js";
import { insertText } from "./insert.js";
import { strReplace } from "./str-replace.js";
import { viewPath } from "./view.js";

export const TEXT_EDITOR_NAME = "str_replace_based_edit_tool";

// The documented input of text_editor_20250728 (no undo_edit). Loose objects: a model that adds
// a field we do not use should still get its edit.
const inputSchema = z.discriminatedUnion("command", [
  z.looseObject({
    command: z.literal("view"),
    path: z.string(),
    view_range: z.tuple([z.int(), z.int()]).optional().nullable(),
  }),
  z.looseObject({ command: z.literal("create"), path: z.string(), file_text: z.string() }),
  z.looseObject({
    command: z.literal("str_replace"),
    path: z.string(),
    old_str: z.string(),
    new_str: z.string().optional().nullable(),
  }),
  z.looseObject({
    command: z.literal("insert"),
    path: z.string(),
    insert_line: z.int(),
    // Claude sends `insert_text` with text_editor_20250728; the documentation says `new_str`.
    insert_text: z.string().optional().nullable(),
    new_str: z.string().optional().nullable(),
  }),
]);

function describeInputError(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; ");
}

/** The rule an explain run's refusals name in the transcript. */
export const READ_ONLY_RULE = "explain-read-only";

function commandOf(input: unknown): string | undefined {
  const command = input && typeof input === "object" ? (input as { command?: unknown }).command : undefined;
  return typeof command === "string" ? command : undefined;
}

export async function runTextEditor(ctx: ToolContext, rawInput: unknown): Promise<string> {
  // Checked before the input is parsed, so every command other than `view` (a known write, or one
  // this tool version may add later) is refused with the same readable reason.
  const command = commandOf(rawInput);
  if (ctx.readOnly && command !== "view") {
    throw new ToolError(
      `This run is analysis only (/fixfleet explain): no file may be changed, so \`${command ?? "(no command)"}\` is refused. Only \`view\` works. Put the change you would make in your final answer instead.`,
      READ_ONLY_RULE,
    );
  }
  const parsed = inputSchema.safeParse(rawInput);
  if (!parsed.success) {
    throw new ToolError(
      `Invalid input for ${TEXT_EDITOR_NAME}: ${describeInputError(parsed.error)}. Commands: view, create, str_replace, insert.`,
    );
  }
  const input = parsed.data;
  if (input.command === "view") {
    const path = await ctx.guard.forRead(input.path);
    if (!path.ok) throw new ToolError(path.message, path.rule);
    return viewPath(ctx, path, input.path, input.view_range ?? undefined);
  }
  const path = await ctx.guard.forWrite(input.path);
  if (!path.ok) throw new ToolError(path.message, path.rule);
  switch (input.command) {
    case "create":
      return createFile(ctx, path, input.path, input.file_text);
    case "str_replace":
      return strReplace(ctx, path, input.path, input.old_str, input.new_str ?? "");
    case "insert": {
      const text = input.insert_text ?? input.new_str;
      if (text === undefined || text === null) {
        throw new ToolError("insert needs the text to insert, in insert_text (or new_str).");
      }
      return insertText(ctx, path, input.path, input.insert_line, text);
    }
  }
}
