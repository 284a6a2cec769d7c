import type Anthropic from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";
import { buildRequest } from "../prompt/build-request.js";
import { fitContext } from "./fit-context.js";
import { TRIMMED_NOTE } from "./trim-context.js";

function conversation(outputs: number): Anthropic.MessageParam[] {
  const messages: Anthropic.MessageParam[] = [{ role: "user", content: [{ type: "text", text: "the failure" }] }];
  for (let i = 0; i < outputs; i++) {
    messages.push({
      role: "assistant",
      content: [{ type: "tool_use", id: `t${i}`, name: "bash", input: { command: "x" } }],
    });
    messages.push({
      role: "user",
      content: [{ type: "tool_result", tool_use_id: `t${i}`, content: "x".repeat(30_000) }],
    });
  }
  return messages;
}

const build = (messages: Anthropic.MessageParam[]) =>
  buildRequest({ model: "claude-sonnet-4-6", maxTokens: 1000, system: "sys", tools: [], messages });

const anthropic = {} as Anthropic;

describe("fitContext", () => {
  it("trims the oldest tool outputs first, never the newest, and keeps them trimmed", async () => {
    const messages = conversation(4);
    const trimmed = new Set<string>();
    const fitted = await fitContext({ anthropic, messages, trimmed, build, limitTokens: 25_000, countAbove: 0 });
    expect(fitted).toBeDefined();
    expect([...trimmed]).toEqual(["t0", "t1"]);
    expect(fitted!.tokens).toBeLessThanOrEqual(25_000);
    const sent = JSON.stringify(fitted!.body.messages);
    expect(sent.split(TRIMMED_NOTE).length - 1).toBe(2);
    // The original conversation is untouched; the next request keeps the same trims.
    expect(JSON.stringify(messages)).not.toContain(TRIMMED_NOTE);
    const again = await fitContext({ anthropic, messages, trimmed, build, limitTokens: 25_000, countAbove: 0 });
    expect(JSON.stringify(again!.body.messages)).toBe(sent);
  });

  it("gives up when even a fully trimmed conversation is too big", async () => {
    const messages = conversation(2);
    expect(
      await fitContext({ anthropic, messages, trimmed: new Set(), build, limitTokens: 5_000, countAbove: 0 }),
    ).toBeUndefined();
  });

  it("puts cache breakpoints on the tools, the system prompt, the failure context and the newest turn", () => {
    const body = buildRequest({
      model: "m",
      maxTokens: 1,
      system: "sys",
      tools: [{ type: "bash_20250124", name: "bash", cache_control: { type: "ephemeral" } }],
      messages: conversation(2),
    });
    const marks = JSON.stringify(body).split('"cache_control"').length - 1;
    expect(marks).toBe(4);
    const blocks = (message: Anthropic.MessageParam | undefined) =>
      (message?.content ?? []) as Anthropic.ToolResultBlockParam[];
    expect(blocks(body.messages.at(-1))[0]?.cache_control).toEqual({ type: "ephemeral" });
    expect(blocks(body.messages[2])[0]?.cache_control).toBeUndefined();
  });
});
