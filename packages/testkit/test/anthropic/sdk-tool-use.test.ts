import Anthropic from "@anthropic-ai/sdk";
import type { MessageParam, ToolUnion } from "@anthropic-ai/sdk/resources/messages";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bash, editor, type FakeAnthropic, startFakeAnthropic, text, toolUse } from "../../src/index.js";

const MODEL = "claude-sonnet-5-5";
const TOOLS: ToolUnion[] = [
  { type: "text_editor_20250728", name: "str_replace_based_edit_tool" },
  { type: "bash_20250124", name: "bash" },
];

let fake: FakeAnthropic;
let client: Anthropic;

beforeEach(async () => {
  fake = await startFakeAnthropic();
  client = new Anthropic({ baseURL: fake.url, apiKey: fake.apiKey, maxRetries: 0 });
});
afterEach(async () => {
  await fake.stop();
});

/** Runs the tools the way an agent would: answers each tool_use with a tool_result. */
function runTools(content: Anthropic.ContentBlock[]): Anthropic.ToolResultBlockParam[] {
  return content.flatMap((block) => {
    if (block.type !== "tool_use") return [];
    const input = block.input as { command?: string; path?: string };
    const output =
      block.name === "str_replace_based_edit_tool"
        ? `1\texport function sum(a, b) {\n2\t  return a - b;\n3\t}`
        : `ran ${input.command}`;
    return [{ type: "tool_result", tool_use_id: block.id, content: output }];
  });
}

function scriptTwoTurns() {
  fake.script([text("I'll read the failing file."), editor.view("/repo/src/sum.js")], (request) => {
    expect(request.toolResults).toHaveLength(1);
    expect(request.toolResults[0]?.content).toContain("return a - b");
    expect(request.toolResults[0]?.isError).toBe(false);
    return [text("The sum subtracts; fixing it."), editor.strReplace("/repo/src/sum.js", "a - b", "a + b")];
  });
}

describe("fake Anthropic with the real SDK", () => {
  it("carries messages.create through a two-turn tool-use exchange", async () => {
    scriptTwoTurns();
    const messages: MessageParam[] = [{ role: "user", content: "CI failed: sum(1, 2) returned -1. Fix it." }];

    const first = await client.messages.create({
      model: MODEL,
      max_tokens: 1024,
      system: "You fix failing CI runs.",
      tools: TOOLS,
      messages,
    });
    expect(first.stop_reason).toBe("tool_use");
    expect(first.id).toMatch(/^msg_/);
    expect(first.content[0]).toEqual({ type: "text", text: "I'll read the failing file." });
    const view = first.content[1];
    expect(view?.type).toBe("tool_use");
    if (view?.type !== "tool_use") throw new Error("expected tool_use");
    expect(view.name).toBe("str_replace_based_edit_tool");
    expect(view.id).toMatch(/^toolu_/);
    expect(view.input).toEqual({ command: "view", path: "/repo/src/sum.js" });
    expect(first.usage.input_tokens).toBeGreaterThan(0);
    expect(first.usage.output_tokens).toBeGreaterThan(0);

    messages.push({ role: "assistant", content: first.content });
    messages.push({ role: "user", content: runTools(first.content) });
    const second = await client.messages.create({ model: MODEL, max_tokens: 1024, tools: TOOLS, messages });
    const edit = second.content.find((block) => block.type === "tool_use");
    expect(edit?.input).toEqual({
      command: "str_replace",
      path: "/repo/src/sum.js",
      old_str: "a - b",
      new_str: "a + b",
    });

    fake.assertScriptDone();
    const [recorded] = fake.messageRequests();
    expect(recorded?.model).toBe(MODEL);
    expect(recorded?.system).toBe("You fix failing CI runs.");
    expect(recorded?.tools).toEqual([
      { name: "str_replace_based_edit_tool", type: "text_editor_20250728" },
      { name: "bash", type: "bash_20250124" },
    ]);
    expect(recorded?.headers["anthropic-version"]).toBeTruthy();
    expect(recorded?.headers["x-api-key"]).toBeUndefined();
  });

  it("streams the same exchange: messages.stream events and finalMessage", async () => {
    scriptTwoTurns();
    const messages: MessageParam[] = [{ role: "user", content: "CI failed: sum(1, 2) returned -1. Fix it." }];

    const stream = client.messages.stream({ model: MODEL, max_tokens: 1024, tools: TOOLS, messages });
    const eventTypes: string[] = [];
    const jsonPieces: string[] = [];
    let streamedText = "";
    stream.on("streamEvent", (event) => {
      eventTypes.push(event.type);
      if (event.type === "content_block_delta" && event.delta.type === "input_json_delta") {
        jsonPieces.push(event.delta.partial_json);
      }
    });
    stream.on("text", (delta) => {
      streamedText += delta;
    });
    const first = await stream.finalMessage();

    expect(eventTypes[0]).toBe("message_start");
    expect(eventTypes.slice(-2)).toEqual(["message_delta", "message_stop"]);
    expect(eventTypes.filter((t) => t === "content_block_start")).toHaveLength(2);
    expect(eventTypes.filter((t) => t === "content_block_stop")).toHaveLength(2);
    expect(streamedText).toBe("I'll read the failing file.");
    expect(jsonPieces.length).toBeGreaterThan(2); // the input arrives in partial chunks
    expect(jsonPieces[0]).toBe("");
    expect(JSON.parse(jsonPieces.join(""))).toEqual({ command: "view", path: "/repo/src/sum.js" });
    expect(first.stop_reason).toBe("tool_use");
    expect(first.content[1]).toMatchObject({ type: "tool_use", input: { command: "view", path: "/repo/src/sum.js" } });
    expect(first.usage.output_tokens).toBeGreaterThan(1);

    messages.push({ role: "assistant", content: first.content });
    messages.push({ role: "user", content: runTools(first.content) });
    const second = await client.messages
      .stream({ model: MODEL, max_tokens: 1024, tools: TOOLS, messages })
      .finalMessage();
    expect(second.content.at(-1)).toMatchObject({ type: "tool_use", input: { command: "str_replace" } });
    fake.assertScriptDone();
    expect(fake.messageRequests().every((r) => r.stream)).toBe(true);
  });

  it("works from the environment variables the worker reads", async () => {
    fake.script([text("configured by env")]);
    const fromEnv = new Anthropic({
      baseURL: fake.env().ANTHROPIC_BASE_URL,
      apiKey: fake.env().ANTHROPIC_API_KEY,
      maxRetries: 0,
    });
    const message = await fromEnv.messages.create({
      model: MODEL,
      max_tokens: 50,
      messages: [{ role: "user", content: "hi" }],
    });
    expect(message.content).toEqual([{ type: "text", text: "configured by env" }]);
    expect(fake.lastRequest?.auth).toBe("bearer");
  });

  it("sends raw SSE in the documented order, pings included", async () => {
    fake.script([bash.command("npm test")]);
    const response = await fetch(`${fake.url}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": fake.apiKey, "anthropic-version": "2023-06-01", "content-type": "application/json" },
      body: JSON.stringify({
        model: MODEL,
        max_tokens: 100,
        stream: true,
        tools: TOOLS,
        messages: [{ role: "user", content: "run the tests" }],
      }),
    });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    expect(response.headers.get("request-id")).toMatch(/^req_/);
    const raw = await response.text();
    const names = [...raw.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    expect(names.slice(0, 3)).toEqual(["message_start", "content_block_start", "ping"]);
    expect(names.at(-1)).toBe("message_stop");
    const start = JSON.parse(raw.split("\n")[1]!.slice("data: ".length));
    expect(start.message).toMatchObject({ content: [], stop_reason: null, role: "assistant", model: MODEL });
    expect(raw).toContain('"stop_reason":"tool_use"');
  });

  it("lets a turn function fail the exchange when the tool result is not what it expects", async () => {
    fake.script([bash.command("npm test")], (request) => {
      if (!request.toolResults[0]?.content.includes("passing")) throw new Error("expected passing tests");
      return [text("done")];
    });
    const first = await client.messages.create({
      model: MODEL,
      max_tokens: 100,
      tools: TOOLS,
      messages: [{ role: "user", content: "go" }],
    });
    const tool = first.content[0] as Anthropic.ToolUseBlock;
    await expect(
      client.messages.create({
        model: MODEL,
        max_tokens: 100,
        tools: TOOLS,
        messages: [
          { role: "user", content: "go" },
          { role: "assistant", content: first.content },
          { role: "user", content: [{ type: "tool_result", tool_use_id: tool.id, content: "1 failing" }] },
        ],
      }),
    ).rejects.toBeInstanceOf(Anthropic.InternalServerError);
    expect(() => fake.assertScriptDone()).toThrow(/expected passing tests/);
  });

  it("treats a scripted call of a tool the request did not offer as a script error", async () => {
    fake.script([bash.command("ls")]);
    await expect(
      client.messages.create({
        model: MODEL,
        max_tokens: 100,
        tools: [TOOLS[0]!],
        messages: [{ role: "user", content: "go" }],
      }),
    ).rejects.toThrow(/does not offer/);
    expect(fake.scriptErrors).toHaveLength(1);
  });

  it("cuts output at max_tokens and says so in stop_reason", async () => {
    fake.script([text("x".repeat(400))]);
    const message = await client.messages.create({
      model: MODEL,
      max_tokens: 10,
      messages: [{ role: "user", content: "write a lot" }],
    });
    expect(message.stop_reason).toBe("max_tokens");
    expect(message.usage.output_tokens).toBe(10);
    expect((message.content[0] as Anthropic.TextBlock).text.length).toBe(40);
  });

  it("stops at a custom stop sequence", async () => {
    fake.script([text("step one\nEND\nstep two")]);
    const message = await client.messages.create({
      model: MODEL,
      max_tokens: 100,
      stop_sequences: ["END"],
      messages: [{ role: "user", content: "list the steps" }],
    });
    expect(message.stop_reason).toBe("stop_sequence");
    expect(message.stop_sequence).toBe("END");
    expect(message.content).toEqual([{ type: "text", text: "step one\n" }]);
  });

  it("holds scripted calls of custom tools to their input_schema's required properties and to tool_choice", async () => {
    const lookup: ToolUnion = {
      name: "lookup",
      input_schema: { type: "object", properties: { q: { type: "string" } }, required: ["q"] },
    };
    fake.script([toolUse("lookup", {})]);
    await expect(
      client.messages.create({
        model: MODEL,
        max_tokens: 100,
        tools: [lookup],
        messages: [{ role: "user", content: "?" }],
      }),
    ).rejects.toThrow(/lacks required q/);

    fake.script([toolUse("lookup", { q: "a" }), toolUse("lookup", { q: "b" })]);
    await expect(
      client.messages.create({
        model: MODEL,
        max_tokens: 100,
        tools: [lookup],
        tool_choice: { type: "auto", disable_parallel_tool_use: true },
        messages: [{ role: "user", content: "?" }],
      }),
    ).rejects.toThrow(/at most one tool/);

    fake.script([toolUse("lookup", { q: "a" })]);
    const message = await client.messages.create({
      model: MODEL,
      max_tokens: 100,
      tools: [lookup],
      tool_choice: { type: "tool", name: "lookup" },
      messages: [{ role: "user", content: "?" }],
    });
    expect(message.content[0]).toMatchObject({ type: "tool_use", name: "lookup", input: { q: "a" } });
    expect(fake.scriptErrors).toHaveLength(2);
  });

  it("emits the insert input Claude sends for text_editor_20250728 (insert_text)", async () => {
    fake.script([editor.insert("/repo/a.ts", 3, "// note\n")]);
    const message = await client.messages.create({
      model: MODEL,
      max_tokens: 100,
      tools: TOOLS,
      messages: [{ role: "user", content: "annotate" }],
    });
    expect(message.content[0]).toMatchObject({
      input: { command: "insert", path: "/repo/a.ts", insert_line: 3, insert_text: "// note\n" },
    });
    expect(() => editor.view("")).toThrow();
  });
});
