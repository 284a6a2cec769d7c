import { bashInputSchema, textEditorInputSchema } from "./builtin-tool-inputs.js";
import { newToolUseId } from "./ids.js";
import type { TextOut, ToolUseOut } from "./types.js";

// Builders for the blocks of scripted assistant turns. The editor and bash builders emit the
// inputs Claude sends for `text_editor_20250728` and `bash_20250124`.

export const text = (value: string): TextOut => ({ type: "text", text: value });

export function toolUse(
  name: string,
  input: Record<string, unknown>,
  options: { id?: string; unchecked?: boolean } = {},
): ToolUseOut {
  return {
    type: "tool_use",
    id: options.id ?? newToolUseId(),
    name,
    input,
    ...(options.unchecked ? { unchecked: true } : {}),
  };
}

const EDITOR = "str_replace_based_edit_tool";

function editorUse(input: Record<string, unknown>, id?: string): ToolUseOut {
  textEditorInputSchema.parse(input);
  return toolUse(EDITOR, input, id ? { id } : {});
}

export const editor = {
  view: (path: string, viewRange?: [number, number], id?: string): ToolUseOut =>
    editorUse({ command: "view", path, ...(viewRange ? { view_range: viewRange } : {}) }, id),
  create: (path: string, fileText: string, id?: string): ToolUseOut =>
    editorUse({ command: "create", path, file_text: fileText }, id),
  strReplace: (path: string, oldStr: string, newStr: string, id?: string): ToolUseOut =>
    editorUse({ command: "str_replace", path, old_str: oldStr, new_str: newStr }, id),
  /** Claude names the inserted text `insert_text` with text_editor_20250728. */
  insert: (path: string, insertLine: number, insertText: string, id?: string): ToolUseOut =>
    editorUse({ command: "insert", path, insert_line: insertLine, insert_text: insertText }, id),
};

function bashUse(input: Record<string, unknown>, id?: string): ToolUseOut {
  bashInputSchema.parse(input);
  return toolUse("bash", input, id ? { id } : {});
}

export const bash = {
  command: (command: string, id?: string): ToolUseOut => bashUse({ command }, id),
  restart: (id?: string): ToolUseOut => bashUse({ restart: true }, id),
};
