import { z } from "zod";
import { SHA_PATTERN } from "../report/failure-report.js";
import { repositoryRefSchema } from "./fix-job.js";

const actorSchema = z.object({ login: z.string().min(1), id: z.number().int().optional() });

/** A `/fixfleet retry|stop|explain` comment on a pull request (issue_comment created). */
export const commandEventSchema = z.object({
  v: z.literal(1),
  type: z.literal("command"),
  deliveryId: z.string().optional(),
  repository: repositoryRefSchema,
  installationId: z.number().int().positive().optional(),
  pr: z.number().int().positive(),
  command: z.enum(["retry", "stop", "explain"]),
  actor: actorSchema,
  commentId: z.number().int().positive(),
});

/** A push that carries commits with fixfleet's trailer: a fix may have reached a branch. */
export const pushEventSchema = z.object({
  v: z.literal(1),
  type: z.literal("push"),
  deliveryId: z.string().optional(),
  repository: repositoryRefSchema,
  installationId: z.number().int().positive().optional(),
  /** `refs/heads/<branch>`. */
  ref: z.string(),
  after: z.string().regex(SHA_PATTERN),
  actor: actorSchema.optional(),
  /** Batch ids named by the pushed commits' `Fixfleet-Batch:` trailers, and the commits' ids. */
  batchIds: z.array(z.string().min(1)).max(100),
  commitShas: z.array(z.string().regex(SHA_PATTERN)).max(2048),
});

/** A pull request closed, merged or not: the end of its fixes' story. */
export const pullRequestClosedEventSchema = z.object({
  v: z.literal(1),
  type: z.literal("pull_request_closed"),
  deliveryId: z.string().optional(),
  repository: repositoryRefSchema,
  installationId: z.number().int().positive().optional(),
  pr: z.number().int().positive(),
  merged: z.boolean(),
  headRef: z.string(),
  headSha: z.string().regex(SHA_PATTERN),
  baseRef: z.string(),
  mergeCommitSha: z.string().regex(SHA_PATTERN).nullable().optional(),
  actor: actorSchema.optional(),
});

/**
 * What ingest hands the worker besides failures: people steering fixfleet from a pull request,
 * and the events that tell whether a fix was accepted. One job per webhook delivery.
 */
export const controlJobDataSchema = z.discriminatedUnion("type", [
  commandEventSchema,
  pushEventSchema,
  pullRequestClosedEventSchema,
]);

export type CommandEvent = z.infer<typeof commandEventSchema>;
export type PushEvent = z.infer<typeof pushEventSchema>;
export type PullRequestClosedEvent = z.infer<typeof pullRequestClosedEventSchema>;
export type ControlJobData = z.infer<typeof controlJobDataSchema>;

/** The trailer fixfleet writes in every fix commit, so the commit is recognised wherever it lands. */
export const FIX_COMMIT_TRAILER = "Fixfleet-Batch";

/** Batch ids named by `Fixfleet-Batch:` trailers in a commit message. */
export function batchIdsInMessage(message: string): string[] {
  const ids: string[] = [];
  for (const match of message.matchAll(/^Fixfleet-Batch:[ \t]*(\S+)[ \t]*$/gim)) {
    if (match[1]) ids.push(match[1]);
  }
  return ids;
}
