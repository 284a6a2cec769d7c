import { redisScript } from "@fixfleet/shared";
import type { Redis } from "ioredis";
import { z } from "zod";

/** What fixfleet remembers of a published fix, to tell later whether people took it. */
export const fixRecordSchema = z.object({
  batchId: z.string(),
  repository: z.string(),
  pr: z.number().int().positive().optional(),
  /** branch / pull_request: on a fixfleet/ branch; push: onto the PR's branch by fixfleet itself. */
  mode: z.enum(["branch", "pull_request", "push"]),
  branch: z.string().optional(),
  commitSha: z.string().optional(),
  headRef: z.string().optional(),
  signature: z.string().optional(),
  publishedAt: z.number(),
  state: z.enum(["published", "accepted", "rejected"]).default("published"),
  reason: z.string().optional(),
});
export type PublishedFix = z.infer<typeof fixRecordSchema>;
export type SettledOutcome = "accepted" | "rejected";

export interface RepositoryOutcomes {
  repository: string;
  published: number;
  accepted: number;
  rejected: number;
}

export interface FixRecords {
  /** Remembers a published fix (idempotent: a re-run publish keeps the first record's state). */
  published(fix: Omit<PublishedFix, "state" | "reason">): Promise<void>;
  get(batchId: string): Promise<PublishedFix | undefined>;
  /** Published fixes of a pull request, newest first. */
  ofPullRequest(repository: string, pr: number): Promise<PublishedFix[]>;
  /**
   * Settles a fix once: published → accepted or rejected. A rejected fix may still turn accepted
   * (GitHub does not order the push and the pull_request deliveries); nothing else changes.
   * True when this call changed the state (and the repository's counts).
   */
  settle(batchId: string, outcome: SettledOutcome, reason: string): Promise<boolean>;
  /** Per repository counts, for the acceptance metric. */
  outcomes(): Promise<RepositoryOutcomes[]>;
  /** Reactions on fixfleet's comment of a pull request, counted once per pull request. */
  countReactions(repository: string, pr: number, counts: Record<string, number>): Promise<boolean>;
  reactions(): Promise<{ repository: string; content: string; count: number }[]>;
}

const KEEP_SECONDS = 90 * 86_400;

// published → accepted | rejected; rejected → accepted. Counts move with the state, atomically.
const SETTLE = redisScript(`
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return 0 end
if state == ARGV[1] or state == 'accepted' then return 0 end
if state == 'rejected' and ARGV[1] ~= 'accepted' then return 0 end
redis.call('HSET', KEYS[1], 'state', ARGV[1], 'reason', ARGV[2])
redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
if state == 'rejected' then redis.call('HINCRBY', KEYS[2], 'rejected', -1) end
redis.call('SADD', KEYS[3], ARGV[3])
return 1
`);

/** Published fixes and their outcomes in Redis, kept 90 days. */
export function createFixRecords(redis: Redis, prefix: string): FixRecords {
  const recordKey = (batchId: string) => `${prefix}:fixes:${batchId}`;
  const prKey = (repo: string, pr: number) => `${prefix}:fixes-of-pr:${repo.toLowerCase()}#${pr}`;
  const countsKey = (repo: string) => `${prefix}:outcomes:${repo.toLowerCase()}`;
  const reposKey = `${prefix}:outcomes:repositories`;
  const reactionsKey = (repo: string) => `${prefix}:reactions:${repo.toLowerCase()}`;

  const parse = (hash: Record<string, string>) => {
    if (Object.keys(hash).length === 0) return undefined;
    const parsed = fixRecordSchema.safeParse({
      ...hash,
      pr: hash.pr ? Number(hash.pr) : undefined,
      publishedAt: Number(hash.publishedAt),
    });
    return parsed.success ? parsed.data : undefined;
  };

  return {
    async published(fix) {
      const fields = Object.fromEntries(
        Object.entries(fix)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k, String(v)]),
      );
      const key = recordKey(fix.batchId);
      // HSETNX on state: a publish stage that runs again after a crash must not reset an outcome.
      const created = await redis.hsetnx(key, "state", "published");
      const tx = redis.multi().hset(key, fields).expire(key, KEEP_SECONDS);
      if (created) tx.hincrby(countsKey(fix.repository), "published", 1).sadd(reposKey, fix.repository.toLowerCase());
      if (fix.pr !== undefined)
        tx.zadd(prKey(fix.repository, fix.pr), fix.publishedAt, fix.batchId).expire(
          prKey(fix.repository, fix.pr),
          KEEP_SECONDS,
        );
      await tx.exec();
    },
    async get(batchId) {
      return parse(await redis.hgetall(recordKey(batchId)));
    },
    async ofPullRequest(repository, pr) {
      const ids = await redis.zrevrange(prKey(repository, pr), 0, 49);
      const records = await Promise.all(ids.map(async (id) => parse(await redis.hgetall(recordKey(id)))));
      return records.filter((r): r is PublishedFix => r !== undefined);
    },
    async settle(batchId, outcome, reason) {
      const record = await this.get(batchId);
      if (!record) return false;
      const changed = await SETTLE(
        redis,
        [recordKey(batchId), countsKey(record.repository), reposKey],
        [outcome, reason.slice(0, 500), record.repository.toLowerCase()],
      );
      return changed === 1;
    },
    async outcomes() {
      const repos = await redis.smembers(reposKey);
      return Promise.all(
        repos.map(async (repository) => {
          const counts = await redis.hgetall(countsKey(repository));
          return {
            repository,
            published: Number(counts.published ?? 0),
            accepted: Number(counts.accepted ?? 0),
            rejected: Number(counts.rejected ?? 0),
          };
        }),
      );
    },
    async countReactions(repository, pr, counts) {
      const once = await redis.set(
        `${prefix}:reactions-counted:${repository.toLowerCase()}#${pr}`,
        "1",
        "EX",
        KEEP_SECONDS,
        "NX",
      );
      if (once !== "OK") return false;
      const tx = redis.multi();
      for (const [content, count] of Object.entries(counts))
        if (count > 0) tx.hincrby(reactionsKey(repository), content, count);
      tx.sadd(reposKey, repository.toLowerCase());
      await tx.exec();
      return true;
    },
    async reactions() {
      const repos = await redis.smembers(reposKey);
      const rows: { repository: string; content: string; count: number }[] = [];
      for (const repository of repos) {
        for (const [content, count] of Object.entries(await redis.hgetall(reactionsKey(repository)))) {
          rows.push({ repository, content, count: Number(count) });
        }
      }
      return rows;
    },
  };
}
