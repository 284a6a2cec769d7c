import Anthropic from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";
import { classifyAnthropicError, retryAfterMs } from "./call-model.js";

const now = Date.parse("2026-11-29T12:00:00Z");

describe("classifyAnthropicError", () => {
  it("makes 429, 529 and 5xx transient with the server's retry-after, 4xx permanent", () => {
    const err = (status: number, headers: Record<string, string> = {}) =>
      Anthropic.APIError.generate(
        status,
        { type: "error", error: { type: "x", message: "m" } },
        "m",
        new Headers(headers),
      );
    expect(classifyAnthropicError(err(529, { "retry-after": "2" }), now)).toMatchObject({
      kind: "transient",
      code: "anthropic_overloaded",
      retryAfterMs: 2000,
    });
    expect(classifyAnthropicError(err(429, { "retry-after-ms": "150" }), now)).toMatchObject({
      kind: "transient",
      code: "anthropic_rate_limited",
      retryAfterMs: 150,
    });
    expect(classifyAnthropicError(err(503), now)).toMatchObject({ kind: "transient", retryAfterMs: undefined });
    expect(classifyAnthropicError(err(400), now)).toMatchObject({ kind: "permanent", code: "anthropic_400" });
    expect(classifyAnthropicError(err(401), now)).toMatchObject({ kind: "permanent" });
    expect(classifyAnthropicError(new Anthropic.APIConnectionError({ message: "reset" }), now)).toMatchObject({
      kind: "transient",
    });
  });

  it("reads retry-after as seconds or as an HTTP date", () => {
    expect(retryAfterMs(new Headers({ "retry-after": "0.5" }), now)).toBe(500);
    expect(retryAfterMs(new Headers({ "retry-after": "Sun, 29 Nov 2026 12:00:03 GMT" }), now)).toBe(3000);
    expect(retryAfterMs(new Headers({}), now)).toBeUndefined();
  });
});
