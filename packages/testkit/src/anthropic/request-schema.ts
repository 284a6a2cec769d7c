import { z } from "zod";

// Shapes of the Messages API request body, after Anthropic's API reference and the SDK's
// types. Blocks the fake acts on (text, tool_use, tool_result, thinking) are checked strictly;
// blocks it only has to carry (images, documents, server-tool results) are checked for their
// tag and kept as they are.

// pydantic says "a valid integer" where zod only knows it expected a number.
const integer = () =>
  z.int({ error: (issue) => (issue.input === undefined ? undefined : "Input should be a valid integer") });

export const cacheControlSchema = z.strictObject({
  type: z.literal("ephemeral"),
  ttl: z.enum(["5m", "1h"]).optional(),
});
const cacheControl = cacheControlSchema.nullable().optional();

export const textBlockSchema = z.strictObject({
  type: z.literal("text"),
  text: z.string(),
  cache_control: cacheControl,
  citations: z
    .array(z.looseObject({ type: z.string() }))
    .nullable()
    .optional(),
});

const imageBlockSchema = z.looseObject({
  type: z.literal("image"),
  source: z.looseObject({ type: z.enum(["base64", "url", "file"]) }),
  cache_control: cacheControl,
});
const documentBlockSchema = z.looseObject({
  type: z.literal("document"),
  source: z.looseObject({ type: z.string() }),
  cache_control: cacheControl,
});
const searchResultBlockSchema = z.looseObject({
  type: z.literal("search_result"),
  source: z.string(),
  title: z.string(),
  content: z.array(textBlockSchema),
  cache_control: cacheControl,
});
const toolReferenceBlockSchema = z.looseObject({ type: z.literal("tool_reference"), cache_control: cacheControl });
const browserStateBlockSchema = z.looseObject({ type: z.literal("browser_state") });

export const toolUseBlockSchema = z.strictObject({
  type: z.literal("tool_use"),
  id: z.string().regex(/^[a-zA-Z0-9_-]+$/),
  name: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
  cache_control: cacheControl,
  caller: z.looseObject({ type: z.string() }).optional(),
  toolset_name: z.string().nullable().optional(),
});

export const toolResultBlockSchema = z.strictObject({
  type: z.literal("tool_result"),
  tool_use_id: z.string().regex(/^[a-zA-Z0-9_-]+$/),
  content: z
    .union([
      z.string(),
      z.array(
        z.discriminatedUnion("type", [
          textBlockSchema,
          imageBlockSchema,
          documentBlockSchema,
          searchResultBlockSchema,
          toolReferenceBlockSchema,
          browserStateBlockSchema,
        ]),
      ),
    ])
    .optional(),
  is_error: z.boolean().optional(),
  cache_control: cacheControl,
  toolset_name: z.string().nullable().optional(),
});

const thinkingBlockSchema = z.strictObject({
  type: z.literal("thinking"),
  thinking: z.string(),
  signature: z.string(),
});
const redactedThinkingBlockSchema = z.strictObject({ type: z.literal("redacted_thinking"), data: z.string() });

// Server-side tool blocks: the fake never produces them, but a conversation may carry them.
const carried = <T extends string>(type: T) => z.looseObject({ type: z.literal(type), cache_control: cacheControl });

export const contentBlockSchema = z.discriminatedUnion("type", [
  textBlockSchema,
  imageBlockSchema,
  documentBlockSchema,
  searchResultBlockSchema,
  thinkingBlockSchema,
  redactedThinkingBlockSchema,
  toolUseBlockSchema,
  toolResultBlockSchema,
  carried("server_tool_use"),
  carried("web_search_tool_result"),
  carried("web_fetch_tool_result"),
  carried("code_execution_tool_result"),
  carried("bash_code_execution_tool_result"),
  carried("text_editor_code_execution_tool_result"),
  carried("tool_search_tool_result"),
  carried("container_upload"),
]);

export const messageParamSchema = z.strictObject({
  role: z.enum(["user", "assistant", "system"]),
  content: z.union([z.string(), z.array(contentBlockSchema)]),
});

const systemSchema = z.union([z.string(), z.array(textBlockSchema)]);

const toolChoiceSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("auto"), disable_parallel_tool_use: z.boolean().optional() }),
  z.strictObject({ type: z.literal("any"), disable_parallel_tool_use: z.boolean().optional() }),
  z.strictObject({ type: z.literal("tool"), name: z.string(), disable_parallel_tool_use: z.boolean().optional() }),
  z.strictObject({ type: z.literal("none") }),
]);

const thinkingSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("enabled"),
    budget_tokens: integer().min(1024),
    display: z.enum(["summarized", "omitted"]).nullable().optional(),
  }),
  z.strictObject({ type: z.literal("disabled") }),
  z.strictObject({ type: z.literal("between_tools") }),
  z.strictObject({ type: z.literal("adaptive"), display: z.enum(["summarized", "omitted"]).nullable().optional() }),
]);

// Tools are checked one by one in validate-tools.ts (the schema depends on `type`).
const toolsSchema = z.array(z.looseObject({}));

const commonFields = {
  model: z.string().min(1),
  messages: z.array(messageParamSchema).min(1),
  system: systemSchema.optional(),
  tools: toolsSchema.optional(),
  tool_choice: toolChoiceSchema.optional(),
  thinking: thinkingSchema.optional(),
  cache_control: cacheControl,
  output_config: z.looseObject({}).optional(),
  speed: z.enum(["standard", "fast"]).nullable().optional(),
  context_management: z.looseObject({}).nullable().optional(),
};

export const createMessageBodySchema = z.strictObject({
  ...commonFields,
  max_tokens: integer().min(0),
  stream: z.boolean().optional(),
  stop_sequences: z.array(z.string()).optional(),
  metadata: z.strictObject({ user_id: z.string().max(256).nullable().optional() }).optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_k: integer().min(0).optional(),
  top_p: z.number().min(0).max(1).optional(),
  service_tier: z.enum(["auto", "standard_only"]).optional(),
  container: z
    .union([z.string(), z.looseObject({})])
    .nullable()
    .optional(),
  diagnostics: z.looseObject({}).nullable().optional(),
  inference_geo: z.string().nullable().optional(),
  mcp_servers: z.array(z.looseObject({})).optional(),
});

export const countTokensBodySchema = z.strictObject(commonFields);

export type CreateMessageBody = z.infer<typeof createMessageBodySchema>;
export type CountTokensBody = z.infer<typeof countTokensBodySchema>;
export type MessageParamIn = z.infer<typeof messageParamSchema>;
export type ContentBlockIn = z.infer<typeof contentBlockSchema>;
export type TextBlockIn = z.infer<typeof textBlockSchema>;
export type CacheControlIn = z.infer<typeof cacheControlSchema>;
