import type Anthropic from "@anthropic-ai/sdk";

/**
 * Claude's tokenizer averages about 3.5–4 characters per token on code and logs; dividing by 3
 * over-estimates on purpose, so a request the estimate lets through is below the real limit.
 */
const CHARS_PER_TOKEN = 3;
/** What the API adds for tool use (its tool-use system prompt and the built-in tools' schemas). */
const TOOL_OVERHEAD_TOKENS = 1_500;

export function estimateTokens(value: unknown): number {
  const text = typeof value === "string" ? value : JSON.stringify(value ?? "");
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

export function estimateRequestTokens(
  body: Pick<Anthropic.MessageCreateParams, "system" | "tools" | "messages">,
): number {
  return (
    estimateTokens(body.system) + estimateTokens(body.tools) + estimateTokens(body.messages) + TOOL_OVERHEAD_TOKENS
  );
}
