import Anthropic from "@anthropic-ai/sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeAnthropic, startFakeAnthropic, text } from "../../src/index.js";

const MODEL = "claude-sonnet-5-5";
const ASK = { model: MODEL, max_tokens: 256, messages: [{ role: "user" as const, content: "hello" }] };

let fake: FakeAnthropic;

beforeEach(async () => {
  fake = await startFakeAnthropic();
});
afterEach(async () => {
  await fake.stop();
});

const client = (options: { maxRetries?: number; timeout?: number } = {}) =>
  new Anthropic({ baseURL: fake.url, apiKey: fake.apiKey, maxRetries: 0, ...options });

/** Milliseconds between consecutive recorded requests. */
function gaps(times: number[]): number[] {
  return times.slice(1).map((t, i) => t - (times[i] ?? 0));
}

describe("fault injection seen through the SDK", () => {
  it("529 twice then success: the SDK retries, honouring retry-after over its own backoff", async () => {
    // 0.6 s is longer than the SDK's own first backoff (at most 0.5 s), so a first gap of at
    // least 0.6 s shows retry-after was read; lower bounds only, so machine load can't flake it.
    fake.fail(529, { times: 2, retryAfter: 0.6 });
    fake.script([text("hi")]);

    const message = await client({ maxRetries: 2 }).messages.create(ASK);

    expect(message.content).toEqual([{ type: "text", text: "hi" }]);
    expect(fake.requests.map((r) => r.status)).toEqual([529, 529, 200]);
    const [first] = fake.requests;
    expect(first?.response).toEqual({
      type: "error",
      error: { type: "overloaded_error", message: "Overloaded" },
      request_id: first?.requestId,
    });
    for (const gap of gaps(fake.requests.map((r) => r.receivedAt))) expect(gap).toBeGreaterThanOrEqual(590);
    expect(fake.requests.map((r) => r.headers["x-stainless-retry-count"])).toEqual(["0", "1", "2"]);
  });

  it("answers 429 rate_limit_error with retry-after and request-id; out of retries the SDK throws RateLimitError", async () => {
    fake.fail(429, { times: 2, retryAfter: 0.01 });
    const error = await client({ maxRetries: 1 })
      .messages.create(ASK)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    const rateLimit = error as InstanceType<typeof Anthropic.RateLimitError>;
    expect(rateLimit.status).toBe(429);
    expect(rateLimit.headers?.get("retry-after")).toBe("0.01");
    expect(rateLimit.requestID).toBe(fake.lastRequest?.requestId);
    expect(rateLimit.error).toMatchObject({ type: "error", error: { type: "rate_limit_error" } });
    expect(fake.pendingTurns).toBe(0);
  });

  it("answers 500 api_error, surfaced as InternalServerError, without consuming a scripted turn", async () => {
    fake.fail(500);
    fake.script([text("after the failure")]);
    await expect(client().messages.create(ASK)).rejects.toBeInstanceOf(Anthropic.InternalServerError);
    expect(fake.pendingTurns).toBe(1);
    const message = await client().messages.create(ASK);
    expect(message.content[0]).toEqual({ type: "text", text: "after the failure" });
  });

  it("delays the answer; an SDK timeout shorter than the delay gives up", async () => {
    fake.delay(300);
    fake.script([text("late")]);
    await expect(client({ timeout: 100 }).messages.create(ASK)).rejects.toBeInstanceOf(
      Anthropic.APIConnectionTimeoutError,
    );
    fake.delay(50);
    const started = performance.now();
    await client().messages.create(ASK);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  });

  it("pauses a stream mid-way; the message still arrives whole", async () => {
    fake.script([text("a fairly long answer that is streamed in several chunks")]);
    fake.streamDelay(300, { afterEvents: 3 });
    const started = performance.now();
    const stream = client().messages.stream(ASK);
    const events: string[] = [];
    stream.on("streamEvent", (event) => events.push(event.type));
    const { response } = await stream.withResponse();
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const message = await stream.finalMessage();
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(message.content[0]).toMatchObject({ text: "a fairly long answer that is streamed in several chunks" });
    expect(events[0]).toBe("message_start");
    expect(events.at(-1)).toBe("message_stop");
  });

  it("sends an error event mid-stream, which the SDK raises as an APIError of that type", async () => {
    fake.script([text("this answer will be cut off by an overload")]);
    fake.streamError({ afterEvents: 4 });
    const error = await client()
      .messages.stream(ASK)
      .finalMessage()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).type).toBe("overloaded_error");
  });

  it("drops the connection before answering, and mid-stream", async () => {
    fake.disconnect();
    await expect(client().messages.create(ASK)).rejects.toBeInstanceOf(Anthropic.APIConnectionError);

    fake.script([text("cut")]);
    fake.disconnect({ afterEvents: 2 });
    await expect(client().messages.stream(ASK).finalMessage()).rejects.toThrow();
  });

  it("applies faults per route: count_tokens can be failed on its own", async () => {
    fake.fail(529, { route: "count_tokens" });
    await expect(client().messages.countTokens({ model: MODEL, messages: ASK.messages })).rejects.toMatchObject({
      status: 529,
    });
    fake.script([text("fine")]);
    await expect(client().messages.create(ASK)).resolves.toMatchObject({ stop_reason: "end_turn" });
  });
});
