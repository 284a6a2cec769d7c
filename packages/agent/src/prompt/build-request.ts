import type Anthropic from "@anthropic-ai/sdk";

const EPHEMERAL = { type: "ephemeral" } as const;

export interface RequestParts {
  model: string;
  maxTokens: number;
  system: string;
  tools: Anthropic.ToolUnion[];
  /** The conversation as sent (already trimmed); the first message is the failure context. */
  messages: Anthropic.MessageParam[];
}

/**
 * The request with its cache breakpoints (the API allows four): the tool list (on its last
 * tool), the system prompt, the failure context (the first user message) — the stable prefix —
 * and the newest user turn, so each turn reads the previous turns from the cache too.
 */
export function buildRequest(parts: RequestParts): Anthropic.MessageCreateParamsNonStreaming {
  const messages = parts.messages.map((message, index) => {
    const last = index === parts.messages.length - 1;
    if (message.role !== "user" || (index !== 0 && !last)) return message;
    const content: Anthropic.ContentBlockParam[] =
      typeof message.content === "string" ? [{ type: "text", text: message.content }] : [...message.content];
    const tail = content[content.length - 1];
    if (tail && "type" in tail && tail.type !== "thinking" && tail.type !== "redacted_thinking") {
      content[content.length - 1] = { ...tail, cache_control: EPHEMERAL } as Anthropic.ContentBlockParam;
    }
    return { ...message, content };
  });
  return {
    model: parts.model,
    max_tokens: parts.maxTokens,
    system: [{ type: "text", text: parts.system, cache_control: EPHEMERAL }],
    tools: parts.tools,
    messages,
  };
}
