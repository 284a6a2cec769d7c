import { storedReportSchema } from "@fixfleet/shared";
import type { Redis } from "ioredis";
import { z } from "zod";

const stopSchema = z.object({ by: z.string(), at: z.number(), commentId: z.number().optional() });
export type PrStop = z.infer<typeof stopSchema>;

const failureSchema = z.object({
  batchKey: z.string(),
  sha: z.string(),
  ref: z.string().optional(),
  installationId: z.number().int().positive(),
  repository: z.object({ owner: z.string(), name: z.string(), id: z.number().optional() }),
  reports: z.array(storedReportSchema).min(1),
});
export type PrFailure = z.infer<typeof failureSchema>;

export interface PrStateStore {
  /** `/fixfleet stop`: no more fixes on this pull request until someone asks with `retry`. */
  stop(repo: string, pr: number, stop: PrStop): Promise<void>;
  stopped(repo: string, pr: number): Promise<PrStop | undefined>;
  resume(repo: string, pr: number): Promise<void>;
  /** The last failure fixfleet saw on the pull request: what `retry` and `explain` run on. */
  rememberFailure(repo: string, pr: number, failure: PrFailure): Promise<void>;
  lastFailure(repo: string, pr: number): Promise<PrFailure | undefined>;
}

const DAYS_30 = 30 * 86_400;

/** Per pull request state that people set with commands, kept 30 days after its last change. */
export function createPrStateStore(redis: Redis, prefix: string): PrStateStore {
  const key = (repo: string, pr: number, what: string) => `${prefix}:pr:${repo.toLowerCase()}#${pr}:${what}`;
  const read = async <T>(raw: Promise<string | null>, schema: z.ZodType<T>) => {
    const text = await raw;
    if (text === null) return undefined;
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  };
  return {
    async stop(repo, pr, stop) {
      await redis.set(key(repo, pr, "stopped"), JSON.stringify(stop), "EX", DAYS_30);
    },
    stopped: (repo, pr) => read(redis.get(key(repo, pr, "stopped")), stopSchema),
    async resume(repo, pr) {
      await redis.del(key(repo, pr, "stopped"));
    },
    async rememberFailure(repo, pr, failure) {
      await redis.set(key(repo, pr, "last-failure"), JSON.stringify(failure), "EX", DAYS_30);
    },
    lastFailure: (repo, pr) => read(redis.get(key(repo, pr, "last-failure")), failureSchema),
  };
}
