import { createHash } from "node:crypto";
import { invalidRequest } from "./api-error.js";
import type { CacheControlIn, ContentBlockIn, MessageParamIn, TextBlockIn } from "./request-schema.js";
import { blocksOf } from "./validate-conversation.js";
import type { OfferedTool } from "./validate-tools.js";

/**
 * One cacheable unit of the prompt, in the order the API renders it (tools, system, messages),
 * with its estimated size and the hash of the whole prefix up to and including it.
 */
export interface Segment {
  tokens: number;
  cacheControl: CacheControlIn | null;
  prefixHash: string;
}

// Documented fixed costs: the tool-use system prompt (Claude 4 models: 346 tokens with
// tool_choice auto/none, 313 with any/tool) and the Anthropic-defined tools' own definitions.
const TOOL_SYSTEM_PROMPT = { auto: 346, none: 346, any: 313, tool: 313 } as const;
const DEFINED_TOOL_TOKENS: Record<string, number> = {
  text_editor_20250728: 700,
  text_editor_20250429: 700,
  text_editor_20250124: 700,
  bash_20250124: 245,
};
const IMAGE_TOKENS = 1_600; // a ~1.1 megapixel image, the documented upper end without resizing
const MESSAGE_OVERHEAD = 4;

export interface SegmentInput {
  model: string;
  tools: readonly OfferedTool[];
  toolChoice?: { type: string } | undefined;
  system?: string | readonly TextBlockIn[] | undefined;
  messages: readonly MessageParamIn[];
  topLevelCacheControl?: CacheControlIn | null | undefined;
  charsPerToken: number;
}

function withoutCacheControl(value: Record<string, unknown>): Record<string, unknown> {
  const { cache_control: _ignored, ...rest } = value;
  return rest;
}

function blockCacheControl(block: ContentBlockIn): CacheControlIn | null {
  const control = (block as { cache_control?: CacheControlIn | null }).cache_control;
  return control ?? null;
}

function blockChars(block: ContentBlockIn): number | "image" {
  switch (block.type) {
    case "text":
      return block.text.length;
    case "thinking":
      return block.thinking.length;
    case "tool_use":
      return block.name.length + JSON.stringify(block.input).length;
    case "tool_result": {
      if (block.content === undefined) return 0;
      if (typeof block.content === "string") return block.content.length;
      return block.content.reduce((sum, inner) => sum + JSON.stringify(inner).length, 0);
    }
    case "image":
      return "image";
    default:
      return JSON.stringify(block).length;
  }
}

/** Splits a request into segments; throws if it has more than four cache breakpoints. */
export function promptSegments(input: SegmentInput): Segment[] {
  const { charsPerToken } = input;
  const tokensFor = (chars: number) => Math.ceil(chars / charsPerToken);
  const raw: Array<{ tokens: number; cacheControl: CacheControlIn | null; content: unknown }> = [];

  if (input.tools.length > 0) {
    const choice = (input.toolChoice?.type ?? "auto") as keyof typeof TOOL_SYSTEM_PROMPT;
    raw.push({ tokens: TOOL_SYSTEM_PROMPT[choice] ?? 346, cacheControl: null, content: `tool-use:${choice}` });
  }
  for (const tool of input.tools) {
    const definition = withoutCacheControl(tool.definition);
    const tokens = DEFINED_TOOL_TOKENS[tool.type] ?? tokensFor(JSON.stringify(definition).length);
    raw.push({ tokens, cacheControl: tool.cacheControl, content: definition });
  }
  const system = typeof input.system === "string" ? [{ type: "text" as const, text: input.system }] : input.system;
  for (const block of system ?? []) {
    raw.push({
      tokens: tokensFor(block.text.length),
      cacheControl: block.cache_control ?? null,
      content: withoutCacheControl(block),
    });
  }
  for (const message of input.messages) {
    blocksOf(message.content).forEach((block, index) => {
      const chars = blockChars(block);
      const tokens = (chars === "image" ? IMAGE_TOKENS : tokensFor(chars)) + (index === 0 ? MESSAGE_OVERHEAD : 0);
      raw.push({
        tokens,
        cacheControl: blockCacheControl(block),
        content: [message.role, withoutCacheControl(block as Record<string, unknown>)],
      });
    });
  }

  // Top-level cache_control marks the last cacheable block (automatic caching).
  const last = raw.at(-1);
  if (input.topLevelCacheControl && last && !last.cacheControl) last.cacheControl = input.topLevelCacheControl;

  const breakpoints = raw.filter((segment) => segment.cacheControl).length;
  if (breakpoints > 4) {
    throw invalidRequest(`A maximum of 4 blocks with cache_control may be provided. Found ${breakpoints}.`);
  }

  let previous = createHash("sha256").update(input.model).digest("hex");
  return raw.map((segment) => {
    previous = createHash("sha256").update(previous).update(JSON.stringify(segment.content)).digest("hex");
    return { tokens: segment.tokens, cacheControl: segment.cacheControl, prefixHash: previous };
  });
}

export const totalTokens = (segments: readonly Segment[]): number =>
  segments.reduce((sum, segment) => sum + segment.tokens, 0);
