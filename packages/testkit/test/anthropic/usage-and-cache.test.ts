import Anthropic from "@anthropic-ai/sdk";
import type { MessageParam, TextBlockParam, ToolUnion } from "@anthropic-ai/sdk/resources/messages";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { editor, type FakeAnthropic, startFakeAnthropic, text } from "../../src/index.js";

const MODEL = "claude-sonnet-5-5";
const TOOLS: ToolUnion[] = [
  { type: "text_editor_20250728", name: "str_replace_based_edit_tool" },
  { type: "bash_20250124", name: "bash" },
];
// ~2,500 tokens at 4 characters a token: above the 1,024-token cache minimum.
const LONG_SYSTEM = "You fix failing CI runs in a sandbox. ".repeat(260);

let fake: FakeAnthropic;
let client: Anthropic;
let clock: number;

beforeEach(async () => {
  clock = 1_000_000;
  fake = await startFakeAnthropic({ now: () => clock });
  client = new Anthropic({ baseURL: fake.url, apiKey: fake.apiKey, maxRetries: 0 });
});
afterEach(async () => {
  await fake.stop();
});

const cachedSystem = (ttl?: "5m" | "1h"): TextBlockParam[] => [
  { type: "text", text: LONG_SYSTEM, cache_control: ttl ? { type: "ephemeral", ttl } : { type: "ephemeral" } },
];

describe("usage figures", () => {
  it("input tokens grow with the request; count_tokens agrees with messages.create", async () => {
    fake.script([text("a")], [text("b")]);
    const small: MessageParam[] = [{ role: "user", content: "short question" }];
    const large: MessageParam[] = [{ role: "user", content: "a long log line\n".repeat(2_000) }];
    const a = await client.messages.create({ model: MODEL, max_tokens: 50, messages: small });
    const b = await client.messages.create({ model: MODEL, max_tokens: 50, messages: large });
    expect(b.usage.input_tokens).toBeGreaterThan(a.usage.input_tokens * 100);
    // 32,000 characters at ~4 per token
    expect(b.usage.input_tokens).toBeGreaterThan(7_500);
    expect(b.usage.input_tokens).toBeLessThan(8_500);
    expect(a.usage.cache_creation_input_tokens).toBe(0);
    expect(a.usage.cache_read_input_tokens).toBe(0);

    const counted = await client.messages.countTokens({ model: MODEL, messages: large });
    expect(counted.input_tokens).toBe(b.usage.input_tokens);
    const withTools = await client.messages.countTokens({ model: MODEL, messages: large, tools: TOOLS });
    // the tool-use system prompt plus the editor (700) and bash (245) definitions
    expect(withTools.input_tokens - counted.input_tokens).toBe(346 + 700 + 245);
  });

  it("cache_control: creation the first time a prefix is seen, reads afterwards, TTL respected", async () => {
    fake.script([text("1")], [text("2")], [text("3")], [text("4")]);
    const ask = (content: string) =>
      client.messages.create({
        model: MODEL,
        max_tokens: 50,
        system: cachedSystem(),
        messages: [{ role: "user", content }],
      });

    const first = await ask("first question");
    expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(2_000);
    expect(first.usage.cache_read_input_tokens).toBe(0);
    expect(first.usage.cache_creation).toEqual({
      ephemeral_5m_input_tokens: first.usage.cache_creation_input_tokens,
      ephemeral_1h_input_tokens: 0,
    });
    // input_tokens only counts what follows the last breakpoint
    expect(first.usage.input_tokens).toBeLessThan(20);

    const second = await ask("a different second question");
    expect(second.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    expect(second.usage.cache_creation_input_tokens).toBe(0);

    clock += 4 * 60_000; // a read refreshes the 5-minute TTL...
    expect((await ask("third")).usage.cache_read_input_tokens).toBeGreaterThan(0);
    clock += 6 * 60_000; // ...but 6 idle minutes expire it
    const fourth = await ask("fourth");
    expect(fourth.usage.cache_read_input_tokens).toBe(0);
    expect(fourth.usage.cache_creation_input_tokens).toBe(first.usage.cache_creation_input_tokens);
  });

  it("a growing agent conversation reads the earlier prefix and writes only the new turns", async () => {
    fake.script([editor.view("/repo/a.ts")], [text("done")]);
    const lastBlockCached = (messages: MessageParam[]): MessageParam[] =>
      messages.map((message, i) => {
        if (i !== messages.length - 1 || typeof message.content !== "string") return message;
        return {
          role: message.role,
          content: [{ type: "text", text: message.content, cache_control: { type: "ephemeral" } }],
        };
      });
    const messages: MessageParam[] = [{ role: "user", content: "fix the build" }];
    const first = await client.messages.create({
      model: MODEL,
      max_tokens: 200,
      system: LONG_SYSTEM,
      tools: TOOLS,
      messages: lastBlockCached(messages),
    });
    expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(3_000);

    const toolUse = first.content[0] as Anthropic.ToolUseBlock;
    messages.push({ role: "assistant", content: first.content });
    messages.push({
      role: "user",
      content: [
        {
          type: "tool_result",
          tool_use_id: toolUse.id,
          content: "1\tconst x = 1;\n".repeat(200),
          cache_control: { type: "ephemeral" },
        },
      ],
    });
    const second = await client.messages.create({
      model: MODEL,
      max_tokens: 200,
      system: LONG_SYSTEM,
      tools: TOOLS,
      messages: lastBlockCached(messages),
    });
    // The first request's whole prefix (tools, system, first user turn) is read back...
    expect(second.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    // ...and only the assistant turn and the tool result are new cache writes.
    expect(second.usage.cache_creation_input_tokens).toBeGreaterThan(600);
    expect(second.usage.cache_creation_input_tokens).toBeLessThan(1_000);
    fake.assertScriptDone();
  });

  it("a prefix under the minimum is silently not cached; 1h breakpoints are reported apart", async () => {
    fake.script([text("a")], [text("b")]);
    const short = await client.messages.create({
      model: MODEL,
      max_tokens: 50,
      system: [{ type: "text", text: "Be brief.", cache_control: { type: "ephemeral" } }],
      messages: [{ role: "user", content: "hi" }],
    });
    expect(short.usage.cache_creation_input_tokens).toBe(0);
    expect(short.usage.cache_read_input_tokens).toBe(0);

    const hour = await client.messages.create({
      model: MODEL,
      max_tokens: 50,
      system: cachedSystem("1h"),
      messages: [{ role: "user", content: "hi" }],
    });
    expect(hour.usage.cache_creation?.ephemeral_1h_input_tokens).toBe(hour.usage.cache_creation_input_tokens);
    expect(hour.usage.cache_creation?.ephemeral_5m_input_tokens).toBe(0);
  });

  it("streams carry the cache figures in message_start and message_delta; max_tokens 0 pre-warms", async () => {
    const warm = await client.messages.create({
      model: MODEL,
      max_tokens: 0,
      system: cachedSystem(),
      messages: [{ role: "user", content: "warm up" }],
    });
    expect(warm.content).toEqual([]);
    expect(warm.stop_reason).toBe("max_tokens");
    expect(warm.usage.cache_creation_input_tokens).toBeGreaterThan(0);

    fake.script([text("streamed")]);
    const stream = client.messages.stream({
      model: MODEL,
      max_tokens: 50,
      system: cachedSystem(),
      messages: [{ role: "user", content: "go" }],
    });
    let startUsage: Anthropic.Usage | undefined;
    stream.on("streamEvent", (event) => {
      if (event.type === "message_start") startUsage = event.message.usage;
    });
    const final = await stream.finalMessage();
    expect(startUsage?.cache_read_input_tokens).toBe(warm.usage.cache_creation_input_tokens);
    expect(final.usage.cache_read_input_tokens).toBe(warm.usage.cache_creation_input_tokens);
    expect(final.usage.output_tokens).toBeGreaterThan(0);
  });
});
