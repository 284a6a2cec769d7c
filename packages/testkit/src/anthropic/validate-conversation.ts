import { invalidRequest } from "./api-error.js";
import type { ContentBlockIn, MessageParamIn } from "./request-schema.js";

/** A block with the position it had in the request, for the API's `messages.N.content.M` paths. */
export interface PlacedBlock {
  block: ContentBlockIn;
  message: number;
  index: number;
}

/** Consecutive messages of one role, which the API treats as a single turn. */
export interface Turn {
  role: "user" | "assistant";
  firstMessage: number;
  blocks: PlacedBlock[];
}

export function blocksOf(content: MessageParamIn["content"]): ContentBlockIn[] {
  return typeof content === "string" ? [{ type: "text", text: content }] : content;
}

/**
 * Checks the conversation rules the API enforces beyond the body's shape, with its wording:
 * non-empty turns, every `tool_use` answered by a `tool_result` in the next turn and every
 * `tool_result` answering a `tool_use` of the previous one. Consecutive turns of one role are
 * merged, as the current API documentation says, unless `strictAlternation` asks for the
 * older rejection.
 */
export function validateConversation(messages: readonly MessageParamIn[], strictAlternation = false): Turn[] {
  const turns: Turn[] = [];
  messages.forEach((message, m) => {
    if (message.role === "system") return; // system-role messages sit outside the alternation
    const isFinal = m === messages.length - 1;
    const empty = typeof message.content === "string" ? message.content === "" : message.content.length === 0;
    if (empty && !(isFinal && message.role === "assistant")) {
      throw invalidRequest(
        `messages.${m}: all messages must have non-empty content except for the optional final assistant message`,
      );
    }
    const blocks = blocksOf(message.content).map((block, index) => ({ block, message: m, index }));
    for (const { block } of blocks) {
      if (block.type === "text" && block.text === "" && typeof message.content !== "string") {
        throw invalidRequest("messages: text content blocks must be non-empty");
      }
    }
    if (isFinal && message.role === "assistant") {
      const last = blocks.at(-1)?.block;
      if (last?.type === "text" && /\s$/.test(last.text)) {
        throw invalidRequest("final assistant content cannot end with trailing whitespace");
      }
    }
    const previous = turns.at(-1);
    if (previous && previous.role === message.role) {
      if (strictAlternation) {
        throw invalidRequest(
          `messages: roles must alternate between "user" and "assistant", but found multiple "${message.role}" roles in a row`,
        );
      }
      previous.blocks.push(...blocks);
    } else {
      turns.push({ role: message.role, firstMessage: m, blocks });
    }
  });

  const seenToolUseIds = new Set<string>();
  turns.forEach((turn, t) => {
    const previous = turns[t - 1];
    const offered = new Set(
      previous?.role === "assistant"
        ? previous.blocks.flatMap(({ block }) => (block.type === "tool_use" ? [block.id] : []))
        : [],
    );
    for (const { block, message, index } of turn.blocks) {
      if (block.type === "tool_use") {
        if (turn.role !== "assistant") {
          throw invalidRequest(
            `messages.${message}.content.${index}: \`tool_use\` blocks can only be in \`assistant\` messages`,
          );
        }
        if (seenToolUseIds.has(block.id)) {
          throw invalidRequest(`messages.${message}.content.${index}: \`tool_use\` ids must be unique`);
        }
        seenToolUseIds.add(block.id);
      }
      if (block.type === "tool_result") {
        if (turn.role !== "user") {
          throw invalidRequest(
            `messages.${message}.content.${index}: \`tool_result\` blocks can only be in \`user\` messages`,
          );
        }
        if (!offered.has(block.tool_use_id)) {
          throw invalidRequest(
            `messages.${message}.content.${index}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${block.tool_use_id}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`,
          );
        }
      }
    }
    if (turn.role === "assistant") {
      const next = turns[t + 1];
      const answered = new Set(
        next?.blocks.flatMap(({ block }) => (block.type === "tool_result" ? [block.tool_use_id] : [])) ?? [],
      );
      const unanswered = turn.blocks.flatMap(({ block }) =>
        block.type === "tool_use" && !answered.has(block.id) ? [block.id] : [],
      );
      if (unanswered.length > 0) {
        const at = turn.blocks.find(({ block }) => block.type === "tool_use" && unanswered.includes(block.id));
        throw invalidRequest(
          `messages.${at?.message ?? turn.firstMessage}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${unanswered.join(", ")}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`,
        );
      }
    }
  });
  return turns;
}
