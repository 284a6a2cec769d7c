import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeAnthropic, startFakeAnthropic } from "../../src/index.js";

const MODEL = "claude-sonnet-5-5";
const EDITOR = { type: "text_editor_20250728", name: "str_replace_based_edit_tool" } as const;

let fake: FakeAnthropic;
let client: Anthropic;

beforeAll(async () => {
  fake = await startFakeAnthropic();
  client = new Anthropic({ baseURL: fake.url, apiKey: fake.apiKey, maxRetries: 0 });
});
afterAll(async () => {
  await fake.stop();
});

/** Posts a body as the SDK would and returns the BadRequestError it raises. */
async function rejection(body: Record<string, unknown>): Promise<InstanceType<typeof Anthropic.APIError>> {
  const error = await client.messages
    .create(body as unknown as Anthropic.MessageCreateParamsNonStreaming)
    .catch((e: unknown) => e);
  if (!(error instanceof Anthropic.APIError)) throw new Error(`expected an APIError, got ${String(error)}`);
  return error;
}

function messageOf(error: InstanceType<typeof Anthropic.APIError>): string {
  return (error.error as { error: { message: string } }).error.message;
}

const toolUseTurn = {
  role: "assistant",
  content: [
    { type: "tool_use", id: "toolu_01A", name: "str_replace_based_edit_tool", input: { command: "view", path: "/a" } },
  ],
};

describe("requests the real API rejects are rejected the same way", () => {
  it("a tool_result without its tool_use: 400 in the API's shape, BadRequestError in the SDK", async () => {
    const error = await rejection({
      model: MODEL,
      max_tokens: 100,
      tools: [EDITOR],
      messages: [
        { role: "user", content: "fix it" },
        { role: "assistant", content: "Looking." },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_01MISSING", content: "x" }] },
      ],
    });
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(error.status).toBe(400);
    expect(error.requestID).toMatch(/^req_/);
    expect(error.error).toEqual({
      type: "error",
      error: {
        type: "invalid_request_error",
        message:
          "messages.2.content.0: unexpected `tool_use_id` found in `tool_result` blocks: toolu_01MISSING. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.",
      },
      request_id: error.requestID,
    });
    expect(fake.lastRequest?.status).toBe(400);
    expect(error.headers?.get("x-should-retry")).toBe("false");
  });

  it("a tool_use left unanswered", async () => {
    const error = await rejection({
      model: MODEL,
      max_tokens: 100,
      tools: [EDITOR],
      messages: [{ role: "user", content: "fix it" }, toolUseTurn, { role: "user", content: "and?" }],
    });
    expect(messageOf(error)).toBe(
      "messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_01A. Each `tool_use` block must have a corresponding `tool_result` block in the next message.",
    );
  });

  it("missing max_tokens, wrong types, unknown fields", async () => {
    const base = { model: MODEL, max_tokens: 100, messages: [{ role: "user", content: "hi" }] };
    const { max_tokens: _dropped, ...withoutMaxTokens } = base;
    expect(messageOf(await rejection(withoutMaxTokens))).toBe("max_tokens: Field required");
    expect(messageOf(await rejection({ ...base, max_tokens: "ten" }))).toBe(
      "max_tokens: Input should be a valid integer",
    );
    expect(messageOf(await rejection({ ...base, temperatur: 1 }))).toBe("temperatur: Extra inputs are not permitted");
    expect(messageOf(await rejection({ ...base, messages: [] }))).toBe(
      "messages: List should have at least 1 item after validation, not 0",
    );
    expect(messageOf(await rejection({ ...base, messages: [{ role: "bot", content: "hi" }] }))).toBe(
      "messages.0.role: Input should be 'user', 'assistant' or 'system'",
    );
    expect(
      messageOf(await rejection({ ...base, messages: [{ role: "user", content: [{ type: "txt", text: "hi" }] }] })),
    ).toMatch(
      /^messages\.0\.content\.0\.type: Input tag 'txt' found using 'type' does not match any of the expected tags/,
    );
    expect(messageOf(await rejection({ ...base, messages: [{ role: "user", content: [{ type: "text" }] }] }))).toBe(
      "messages.0.content.0.text: Field required",
    );
    expect(messageOf(await rejection({ ...base, messages: [{ role: "user", content: "" }] }))).toBe(
      "messages.0: all messages must have non-empty content except for the optional final assistant message",
    );
  });

  it("Anthropic-defined tools must carry their fixed names; custom tools need an input_schema", async () => {
    const base = { model: MODEL, max_tokens: 100, messages: [{ role: "user", content: "hi" }] };
    expect(messageOf(await rejection({ ...base, tools: [{ type: "text_editor_20250728", name: "editor" }] }))).toBe(
      "tools.0.name: Input should be 'str_replace_based_edit_tool'",
    );
    expect(messageOf(await rejection({ ...base, tools: [{ type: "bash_20250124", name: "shell" }] }))).toBe(
      "tools.0.name: Input should be 'bash'",
    );
    expect(messageOf(await rejection({ ...base, tools: [{ name: "lookup" }] }))).toBe(
      "tools.0.input_schema: Field required",
    );
    expect(messageOf(await rejection({ ...base, tools: [EDITOR, EDITOR] }))).toBe("tools: Tool names must be unique.");
    expect(messageOf(await rejection({ ...base, tools: [{ type: "text_editor_20990101", name: "x" }] }))).toMatch(
      /^tools\.0\.type: Input tag 'text_editor_20990101'/,
    );
  });

  it("more than four cache breakpoints", async () => {
    const ephemeral = { type: "ephemeral" };
    const error = await rejection({
      model: MODEL,
      max_tokens: 100,
      system: [1, 2, 3, 4, 5].map((n) => ({ type: "text", text: `part ${n}`, cache_control: ephemeral })),
      messages: [{ role: "user", content: "hi" }],
    });
    expect(messageOf(error)).toBe("A maximum of 4 blocks with cache_control may be provided. Found 5.");
  });

  it("an unknown model is a 404 not_found_error", async () => {
    const error = await rejection({ model: "gpt-4", max_tokens: 10, messages: [{ role: "user", content: "hi" }] });
    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
    expect(messageOf(error)).toBe("model: gpt-4");
  });

  it("consecutive user turns are merged as the docs say, so their tool_results still pair up", async () => {
    fake.script([{ type: "text", text: "ok" }]);
    const message = await client.messages.create({
      model: MODEL,
      max_tokens: 100,
      tools: [EDITOR],
      messages: [
        { role: "user", content: "fix it" },
        toolUseTurn as Anthropic.MessageParam,
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_01A", content: "1\tx" }] },
        { role: "user", content: "also, be brief" },
      ],
    });
    expect(message.content).toEqual([{ type: "text", text: "ok" }]);
    expect(fake.lastRequest?.toolResults).toEqual([{ toolUseId: "toolu_01A", content: "1\tx", isError: false }]);
  });

  it("checks the key and the version header, and answers unknown routes with 404", async () => {
    const post = (headers: Record<string, string>, path = "/v1/messages") =>
      fetch(`${fake.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ model: MODEL, max_tokens: 10, messages: [{ role: "user", content: "hi" }] }),
      });

    const noKey = await post({ "anthropic-version": "2023-06-01" });
    expect(noKey.status).toBe(401);
    expect(noKey.headers.get("request-id")).toMatch(/^req_/);
    expect(await noKey.json()).toMatchObject({
      type: "error",
      error: { type: "authentication_error", message: "x-api-key header is required" },
    });

    const wrongKey = await post({ "x-api-key": "sk-ant-wrong", "anthropic-version": "2023-06-01" });
    expect(wrongKey.status).toBe(401);
    expect(((await wrongKey.json()) as { error: { message: string } }).error.message).toBe("invalid x-api-key");

    const sdkWithWrongKey = new Anthropic({ baseURL: fake.url, apiKey: "sk-ant-wrong", maxRetries: 0 });
    await expect(
      sdkWithWrongKey.messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: "user", content: "hi" }] }),
    ).rejects.toBeInstanceOf(Anthropic.AuthenticationError);

    const noVersion = await post({ "x-api-key": fake.apiKey });
    expect(noVersion.status).toBe(400);
    expect(((await noVersion.json()) as { error: { message: string } }).error.message).toBe(
      "anthropic-version: header is required",
    );

    const unknown = await post({ "x-api-key": fake.apiKey, "anthropic-version": "2023-06-01" }, "/v1/complete-me");
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ type: "error", error: { type: "not_found_error" } });
  });
});
