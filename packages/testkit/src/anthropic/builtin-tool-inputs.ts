import { z } from "zod";

// Input schemas of the Anthropic-defined client tools, as documented for
// `text_editor_20250728` (no `undo_edit`) and `bash_20250124`. The model only ever emits
// inputs of these shapes, so scripted turns are held to them too.

export const textEditorInputSchema = z.discriminatedUnion("command", [
  z.strictObject({
    command: z.literal("view"),
    path: z.string().min(1),
    view_range: z.tuple([z.int().min(1), z.int().min(-1)]).optional(),
  }),
  z.strictObject({ command: z.literal("create"), path: z.string().min(1), file_text: z.string() }),
  z.strictObject({
    command: z.literal("str_replace"),
    path: z.string().min(1),
    old_str: z.string(),
    new_str: z.string().optional(),
  }),
  z.strictObject({
    command: z.literal("insert"),
    path: z.string().min(1),
    insert_line: z.int().min(0),
    // Claude emits `insert_text` with text_editor_20250728 (anthropic-sdk-python#1155); the
    // documentation still names it `new_str`. Either one, never both.
    insert_text: z.string().optional(),
    new_str: z.string().optional(),
  }),
]);

export const bashInputSchema = z.union([
  z.strictObject({ command: z.string().min(1) }),
  z.strictObject({ restart: z.literal(true) }),
]);

export type TextEditorInput = z.infer<typeof textEditorInputSchema>;
export type BashInput = z.infer<typeof bashInputSchema>;

const SCHEMAS_BY_TYPE: Record<string, z.ZodType> = {
  text_editor_20250728: textEditorInputSchema,
  text_editor_20250429: textEditorInputSchema,
  bash_20250124: bashInputSchema,
};

/** Why `input` is not what the Anthropic-defined tool of `type` takes, or null if it is. */
export function builtinInputProblem(type: string, input: unknown): string | null {
  const schema = SCHEMAS_BY_TYPE[type];
  if (!schema) return null;
  const result = schema.safeParse(input);
  if (result.success) {
    const value = result.data as Record<string, unknown>;
    if (value.command === "insert" && (value.insert_text === undefined) === (value.new_str === undefined)) {
      return "insert: exactly one of insert_text (what Claude sends) or new_str (the documented name) is required";
    }
    return null;
  }
  return result.error.issues.map((issue) => `${issue.path.join(".") || "input"}: ${issue.message}`).join("; ");
}
