import { describe, expect, it } from "vitest";
import { ApiError } from "../../src/anthropic/api-error.js";
import type { MessageParamIn } from "../../src/anthropic/request-schema.js";
import { validateConversation } from "../../src/anthropic/validate-conversation.js";

const toolUse = (id: string) => ({ type: "tool_use" as const, id, name: "bash", input: { command: "ls" } });
const toolResult = (id: string) => ({ type: "tool_result" as const, tool_use_id: id, content: "ok" });

function rejectionOf(messages: MessageParamIn[], strict = false): string {
  try {
    validateConversation(messages, strict);
  } catch (error) {
    if (error instanceof ApiError) return `${error.status} ${error.type}: ${error.message}`;
    throw error;
  }
  throw new Error("expected a rejection");
}

describe("conversation rules", () => {
  it("pairs parallel tool calls with their results, in any order", () => {
    const turns = validateConversation([
      { role: "user", content: "go" },
      { role: "assistant", content: [toolUse("toolu_1"), toolUse("toolu_2")] },
      { role: "user", content: [toolResult("toolu_2"), toolResult("toolu_1")] },
    ]);
    expect(turns.map((t) => t.role)).toEqual(["user", "assistant", "user"]);
  });

  it("names every unanswered tool_use id", () => {
    expect(
      rejectionOf([
        { role: "user", content: "go" },
        { role: "assistant", content: [toolUse("toolu_1"), toolUse("toolu_2")] },
        { role: "user", content: [toolResult("toolu_1")] },
      ]),
    ).toBe(
      "400 invalid_request_error: messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_2. Each `tool_use` block must have a corresponding `tool_result` block in the next message.",
    );
  });

  it("rejects a tool_result answering a tool_use from an earlier turn than the previous one", () => {
    expect(
      rejectionOf([
        { role: "user", content: "go" },
        { role: "assistant", content: [toolUse("toolu_1")] },
        { role: "user", content: [toolResult("toolu_1")] },
        { role: "assistant", content: "done?" },
        { role: "user", content: [toolResult("toolu_1")] },
      ]),
    ).toMatch(/^400 invalid_request_error: messages\.4\.content\.0: unexpected `tool_use_id`/);
  });

  it("rejects duplicate tool_use ids and tool blocks in the wrong role", () => {
    expect(
      rejectionOf([
        { role: "user", content: "go" },
        { role: "assistant", content: [toolUse("toolu_1")] },
        { role: "user", content: [toolResult("toolu_1")] },
        { role: "assistant", content: [toolUse("toolu_1")] },
        { role: "user", content: [toolResult("toolu_1")] },
      ]),
    ).toBe("400 invalid_request_error: messages.3.content.0: `tool_use` ids must be unique");
    expect(rejectionOf([{ role: "user", content: [toolUse("toolu_9")] }])).toMatch(
      /`tool_use` blocks can only be in `assistant` messages/,
    );
  });

  it("allows an empty or prefilled final assistant turn, but not one ending in whitespace", () => {
    expect(() =>
      validateConversation([
        { role: "user", content: "go" },
        { role: "assistant", content: "" },
      ]),
    ).not.toThrow();
    expect(
      rejectionOf([
        { role: "user", content: "go" },
        { role: "assistant", content: "The answer is " },
      ]),
    ).toBe("400 invalid_request_error: final assistant content cannot end with trailing whitespace");
  });

  it("merges consecutive turns by default and rejects them under strictAlternation", () => {
    const messages: MessageParamIn[] = [
      { role: "user", content: "one" },
      { role: "user", content: "two" },
    ];
    expect(validateConversation(messages)).toHaveLength(1);
    expect(rejectionOf(messages, true)).toBe(
      '400 invalid_request_error: messages: roles must alternate between "user" and "assistant", but found multiple "user" roles in a row',
    );
  });
});
