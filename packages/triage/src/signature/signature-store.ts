import type { Redis } from "ioredis";
import { z } from "zod";

const fixRecordSchema = z.object({
  signature: z.string(),
  outcome: z.enum(["fixed", "not_fixable", "failed", "held", "did_not_hold"]),
  at: z.number(),
  pr: z.number().optional(),
  branch: z.string().optional(),
  commitSha: z.string().optional(),
  /** What changed, in a few lines: offered to the model as a hint the next time. */
  summary: z.string().optional(),
});

export type FixRecord = z.infer<typeof fixRecordSchema>;

export interface SignatureStore {
  /** Remembers the outcome of a fix of a signature, for the repository and its pull request. */
  record(repo: string, record: FixRecord): Promise<void>;
  /** The last fix fixfleet published for this signature on this pull request, if any. */
  publishedOnPr(repo: string, pr: number, signature: string): Promise<FixRecord | undefined>;
  /** The last fix of this signature in the repository that worked, as a hint. */
  hint(repo: string, signature: string): Promise<FixRecord | undefined>;
}

/** Signatures and their outcomes per repository, kept 90 days (per PR: 30 days). */
export function createSignatureStore(redis: Redis, prefix: string): SignatureStore {
  const repoKey = (repo: string) => `${prefix}:signatures:${repo.toLowerCase()}`;
  const prKey = (repo: string, pr: number) => `${prefix}:signatures:${repo.toLowerCase()}#${pr}`;
  const parse = (raw: string | null) => {
    if (raw === null) return undefined;
    const parsed = fixRecordSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  };
  return {
    async record(repo, record) {
      const value = JSON.stringify(fixRecordSchema.parse(record));
      const tx = redis.multi();
      if (record.outcome === "fixed" || record.outcome === "held") {
        tx.hset(repoKey(repo), record.signature, value).expire(repoKey(repo), 90 * 86_400);
      }
      if (record.pr !== undefined) {
        tx.hset(prKey(repo, record.pr), record.signature, value).expire(prKey(repo, record.pr), 30 * 86_400);
      }
      await tx.exec();
    },
    async publishedOnPr(repo, pr, signature) {
      const record = parse(await redis.hget(prKey(repo, pr), signature));
      return record?.outcome === "fixed" ? record : undefined;
    },
    async hint(repo, signature) {
      return parse(await redis.hget(repoKey(repo), signature));
    },
  };
}
