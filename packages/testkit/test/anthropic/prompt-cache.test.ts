import { describe, expect, it } from "vitest";
import { PromptCache } from "../../src/anthropic/prompt-cache.js";
import type { Segment } from "../../src/anthropic/prompt-segments.js";

const ephemeral = { type: "ephemeral" as const };

/** n segments of `tokens` each, hashed by position so equal positions share prefixes. */
function segments(n: number, tokens: number, breakpoints: number[], salt = ""): Segment[] {
  return Array.from({ length: n }, (_, i) => ({
    tokens,
    cacheControl: breakpoints.includes(i) ? ephemeral : null,
    prefixHash: `${salt}prefix-${i}`,
  }));
}

describe("prompt cache", () => {
  it("accounts every input token exactly once across input, creation and read", () => {
    const cache = new PromptCache({ now: () => 0, minCacheableTokens: 100 });
    const first = cache.use(segments(10, 50, [5]));
    expect(first).toMatchObject({ input_tokens: 200, cache_creation_input_tokens: 300, cache_read_input_tokens: 0 });
    const second = cache.use(segments(12, 50, [8]));
    expect(second).toMatchObject({ input_tokens: 150, cache_creation_input_tokens: 150, cache_read_input_tokens: 300 });
  });

  it("finds an earlier entry only within 20 blocks before a breakpoint", () => {
    const near = new PromptCache({ now: () => 0, minCacheableTokens: 1 });
    near.use(segments(5, 10, [4]));
    expect(near.use(segments(30, 10, [23])).cache_read_input_tokens).toBe(50); // 19 blocks back

    const far = new PromptCache({ now: () => 0, minCacheableTokens: 1 });
    far.use(segments(5, 10, [4]));
    expect(far.use(segments(30, 10, [24])).cache_read_input_tokens).toBe(0); // 20 blocks back
  });

  it("does not cache a prefix below the minimum, and caches it once it has grown", () => {
    const cache = new PromptCache({ now: () => 0, minCacheableTokens: 1024 });
    expect(cache.use(segments(2, 500, [1])).cache_creation_input_tokens).toBe(0);
    expect(cache.use(segments(3, 500, [2])).cache_creation_input_tokens).toBe(1500);
    expect(cache.use(segments(3, 500, [2])).cache_read_input_tokens).toBe(1500);
  });

  it("keeps 1h entries past five minutes; a different prefix misses", () => {
    let now = 0;
    const cache = new PromptCache({ now: () => now, minCacheableTokens: 1 });
    const hour = segments(3, 100, [2]).map((s, i) =>
      i === 2 ? { ...s, cacheControl: { ...ephemeral, ttl: "1h" as const } } : s,
    );
    expect(cache.use(hour).cache_creation).toEqual({ ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 300 });
    now += 30 * 60_000;
    expect(cache.use(hour).cache_read_input_tokens).toBe(300);
    expect(cache.use(segments(3, 100, [2], "other-")).cache_read_input_tokens).toBe(0);
  });
});
