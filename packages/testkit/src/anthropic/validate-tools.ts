import { z } from "zod";
import { invalidRequest } from "./api-error.js";
import { describeValidationError } from "./describe-validation-error.js";
import { type CacheControlIn, cacheControlSchema } from "./request-schema.js";

/** A tool the request offers, as the fake needs it. */
export interface OfferedTool {
  name: string;
  /** `"custom"` for a client tool with an `input_schema`, else the Anthropic-defined type. */
  type: string;
  cacheControl: CacheControlIn | null;
  definition: Record<string, unknown>;
}

const cacheControl = cacheControlSchema.nullable().optional();
const allowedCallers = z.array(z.string()).optional();

// Fields every tool definition may carry (SDK ToolUnion members).
const common = {
  cache_control: cacheControl,
  defer_loading: z.boolean().optional(),
  allowed_callers: allowedCallers,
  input_examples: z.array(z.record(z.string(), z.unknown())).optional(),
  strict: z.boolean().optional(),
};

const customToolSchema = z.strictObject({
  ...common,
  type: z.enum(["custom"]).nullable().optional(),
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,128}$/),
  description: z.string().optional(),
  input_schema: z.looseObject({
    type: z.literal("object"),
    properties: z.record(z.string(), z.unknown()).nullable().optional(),
    required: z.array(z.string()).nullable().optional(),
  }),
  eager_input_streaming: z.boolean().nullable().optional(),
});

const textEditor = (type: string, name: string, extra: Record<string, z.ZodType> = {}) =>
  z.strictObject({ ...common, type: z.literal(type), name: z.literal(name), ...extra });

// Anthropic-defined client tools whose schema the fake knows exactly.
const DEFINED_TOOLS: Record<string, z.ZodType> = {
  text_editor_20250728: textEditor("text_editor_20250728", "str_replace_based_edit_tool", {
    max_characters: z.int().min(1).nullable().optional(),
  }),
  text_editor_20250429: textEditor("text_editor_20250429", "str_replace_based_edit_tool"),
  text_editor_20250124: textEditor("text_editor_20250124", "str_replace_editor"),
  bash_20250124: z.strictObject({ ...common, type: z.literal("bash_20250124"), name: z.literal("bash") }),
};

// Server tools and toolsets the API knows; the fake accepts their definitions but never runs them.
const SERVER_TOOL_TYPES = new Set([
  "code_execution_20250522",
  "code_execution_20250825",
  "code_execution_20260120",
  "code_execution_20260521",
  "browser_toolset_20260801",
  "computer_toolset_20260801",
  "memory_20250818",
  "web_search_20250305",
  "web_search_20260209",
  "web_search_20260318",
  "web_fetch_20250910",
  "web_fetch_20260209",
  "web_fetch_20260309",
  "web_fetch_20260318",
  "tool_search_tool_bm25_20251119",
  "tool_search_tool_regex_20251119",
]);
const serverToolSchema = z.looseObject({ type: z.string(), name: z.string().min(1), cache_control: cacheControl });

/** Checks `tools` as the API does; throws an `invalid_request_error` ApiError. */
export function validateTools(tools: readonly Record<string, unknown>[] | undefined): OfferedTool[] {
  if (!tools) return [];
  const offered: OfferedTool[] = [];
  const seen = new Set<string>();
  tools.forEach((tool, index) => {
    const type = tool.type;
    let schema: z.ZodType;
    if (type === undefined || type === null || type === "custom") schema = customToolSchema;
    else if (typeof type === "string" && DEFINED_TOOLS[type]) schema = DEFINED_TOOLS[type];
    else if (typeof type === "string" && SERVER_TOOL_TYPES.has(type)) schema = serverToolSchema;
    else {
      const known = ["custom", ...Object.keys(DEFINED_TOOLS), ...SERVER_TOOL_TYPES].map((t) => `'${t}'`).join(", ");
      throw invalidRequest(
        `tools.${index}.type: Input tag '${String(type)}' found using 'type' does not match any of the expected tags: ${known}`,
      );
    }
    const result = schema.safeParse(tool, { reportInput: true });
    if (!result.success) {
      throw invalidRequest(`tools.${index}.${describeValidationError(result.error)}`);
    }
    const name = String(tool.name);
    if (seen.has(name)) throw invalidRequest("tools: Tool names must be unique.");
    seen.add(name);
    offered.push({
      name,
      type: typeof type === "string" ? type : "custom",
      cacheControl: (tool.cache_control as CacheControlIn | null | undefined) ?? null,
      definition: tool,
    });
  });
  return offered;
}
