import type Anthropic from "@anthropic-ai/sdk";

export const TRIMMED_NOTE =
  "[This earlier tool output was removed to keep the conversation within the model's context window. Run the command or view the file again if you still need it.]";

type Messages = Anthropic.MessageParam[];

/** Tool results the trimmer may empty, oldest first: all but those of the latest user turn. */
export function trimCandidates(messages: Messages): string[] {
  const ids: string[] = [];
  messages.slice(0, -1).forEach((message, index) => {
    if (index === 0 || message.role !== "user" || typeof message.content === "string") return;
    for (const block of message.content) {
      if (block.type === "tool_result") ids.push(block.tool_use_id);
    }
  });
  return ids;
}

/**
 * The conversation as it is sent: tool results named in `trimmed` carry a note instead of their
 * output. Trimming is sticky (a result once trimmed stays trimmed), so the request prefix stays
 * the same from turn to turn and the prompt cache keeps working after a trim.
 */
export function applyTrim(messages: Messages, trimmed: ReadonlySet<string>): Messages {
  if (trimmed.size === 0) return messages;
  return messages.map((message) => {
    if (message.role !== "user" || typeof message.content === "string") return message;
    if (!message.content.some((b) => b.type === "tool_result" && trimmed.has(b.tool_use_id))) return message;
    return {
      ...message,
      content: message.content.map((block) =>
        block.type === "tool_result" && trimmed.has(block.tool_use_id)
          ? {
              type: "tool_result" as const,
              tool_use_id: block.tool_use_id,
              content: TRIMMED_NOTE,
              ...(block.is_error ? { is_error: true } : {}),
            }
          : block,
      ),
    };
  });
}

/** Outputs of a few characters are not worth trimming (the note is longer). */
export function resultSize(messages: Messages, id: string): number {
  for (const message of messages) {
    if (message.role !== "user" || typeof message.content === "string") continue;
    for (const block of message.content) {
      if (block.type === "tool_result" && block.tool_use_id === id) return JSON.stringify(block.content ?? "").length;
    }
  }
  return 0;
}
