import { TransientError } from "@fixfleet/shared";
import { HTTPException } from "hono/http-exception";

/** Redis did not answer: nothing was stored, the sender gets 503 and retries. */
export class RedisUnavailableError extends TransientError {
  constructor(cause: unknown) {
    super(`Redis is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
      code: "redis-unavailable",
      retryAfterMs: 5_000,
    });
    this.name = "RedisUnavailableError";
  }
}

/** Runs a Redis step; anything it throws means Redis could not be used. */
export async function withRedis<T>(step: () => Promise<T>, timeoutMs = 3_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      step(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (error) {
    // A refusal decided on Redis's answer (a rate limit) is not Redis being down.
    if (error instanceof HTTPException || error instanceof RedisUnavailableError) throw error;
    throw new RedisUnavailableError(error);
  } finally {
    clearTimeout(timer);
  }
}
