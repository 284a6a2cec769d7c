import type { Segment } from "./prompt-segments.js";

export interface CacheUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
}

const TTL_MS = { "5m": 5 * 60_000, "1h": 60 * 60_000 } as const;
// The API looks for earlier cache entries up to 20 blocks before each breakpoint.
const LOOKBACK_BLOCKS = 20;

/**
 * The prompt cache as the API documents it: entries are prefixes ending at a `cache_control`
 * breakpoint, written the first time (cache creation) and read while fresh (a read refreshes
 * the TTL). Prefixes shorter than the model's minimum are silently not cached.
 */
export class PromptCache {
  readonly #entries = new Map<string, { expiresAt: number; ttlMs: number }>();
  readonly #now: () => number;
  readonly #minTokens: number;

  constructor(options: { now: () => number; minCacheableTokens: number }) {
    this.#now = options.now;
    this.#minTokens = options.minCacheableTokens;
  }

  clear(): void {
    this.#entries.clear();
  }

  #fresh(hash: string): boolean {
    const entry = this.#entries.get(hash);
    if (!entry) return false;
    if (entry.expiresAt <= this.#now()) {
      this.#entries.delete(hash);
      return false;
    }
    return true;
  }

  /** Usage of one request, and the cache updated as the API would. */
  use(segments: readonly Segment[]): CacheUsage {
    const cumulative: number[] = [];
    let sum = 0;
    for (const segment of segments) {
      sum += segment.tokens;
      cumulative.push(sum);
    }
    const total = sum;
    const usage: CacheUsage = {
      input_tokens: total,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    };
    const breakpoints = segments.flatMap((segment, i) => (segment.cacheControl ? [i] : []));
    const cacheable = breakpoints.filter((i) => (cumulative[i] ?? 0) >= this.#minTokens);
    const lastBreakpoint = cacheable.at(-1);
    if (lastBreakpoint === undefined) return usage;

    let hit = -1;
    for (const breakpoint of breakpoints) {
      for (let j = breakpoint; j >= 0 && j > breakpoint - LOOKBACK_BLOCKS; j--) {
        const hash = segments[j]?.prefixHash;
        if (j > hit && hash && this.#fresh(hash)) {
          hit = j;
          break;
        }
      }
    }

    const read = hit >= 0 ? (cumulative[hit] ?? 0) : 0;
    const upTo = Math.max(hit, lastBreakpoint);
    usage.cache_read_input_tokens = read;
    usage.input_tokens = total - (cumulative[upTo] ?? 0);
    for (let i = hit + 1; i <= lastBreakpoint; i++) {
      const owner = breakpoints.find((b) => b >= i);
      const ttl = owner === undefined ? "5m" : (segments[owner]?.cacheControl?.ttl ?? "5m");
      const tokens = segments[i]?.tokens ?? 0;
      usage.cache_creation_input_tokens += tokens;
      if (ttl === "1h") usage.cache_creation.ephemeral_1h_input_tokens += tokens;
      else usage.cache_creation.ephemeral_5m_input_tokens += tokens;
    }

    const now = this.#now();
    if (hit >= 0) {
      const hash = segments[hit]?.prefixHash;
      const entry = hash ? this.#entries.get(hash) : undefined;
      if (entry) entry.expiresAt = now + entry.ttlMs;
    }
    for (const breakpoint of cacheable) {
      const segment = segments[breakpoint];
      if (!segment || breakpoint <= hit) continue;
      const ttlMs = TTL_MS[segment.cacheControl?.ttl ?? "5m"];
      this.#entries.set(segment.prefixHash, { expiresAt: now + ttlMs, ttlMs });
    }
    return usage;
  }
}
