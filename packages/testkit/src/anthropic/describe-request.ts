import type { RecordedRequest, ToolResultView } from "./types.js";

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .filter((block): block is Json => isObject(block) && block.type === "text" && typeof block.text === "string")
    .map((block) => block.text as string)
    .join("\n");
}

/**
 * The parts of a request body tests assert on, read leniently so that even a request the
 * fake rejects is recorded as far as it can be understood.
 */
export function describeRequest(
  body: unknown,
): Pick<RecordedRequest, "model" | "maxTokens" | "stream" | "system" | "tools" | "messages" | "toolResults"> {
  const json = isObject(body) ? body : {};
  const messages = Array.isArray(json.messages) ? json.messages.filter(isObject) : [];
  // The last user turn: consecutive user messages at the end count as one, as the API merges them.
  const lastTurn: Json[] = [];
  for (const message of [...messages].reverse()) {
    if (message.role === "system") continue;
    if (message.role !== "user") break;
    lastTurn.unshift(message);
  }
  const toolResults: ToolResultView[] = lastTurn
    .flatMap((message) => (Array.isArray(message.content) ? message.content : []))
    .filter((block): block is Json => isObject(block) && block.type === "tool_result")
    .map((block) => ({
      toolUseId: String(block.tool_use_id),
      content: textOf(block.content),
      isError: block.is_error === true,
    }));
  return {
    model: typeof json.model === "string" ? json.model : undefined,
    maxTokens: typeof json.max_tokens === "number" ? json.max_tokens : undefined,
    stream: json.stream === true,
    system: textOf(json.system),
    tools: Array.isArray(json.tools)
      ? json.tools.filter(isObject).map((tool) => ({
          name: String(tool.name),
          type: typeof tool.type === "string" ? tool.type : "custom",
        }))
      : [],
    messages: messages.map((message) => ({ role: String(message.role), content: message.content })),
    toolResults,
  };
}
