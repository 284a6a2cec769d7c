import { collaboratorPermission, type RepoHandle, reactToComment, replyOnPullRequest } from "@fixfleet/github";
import { type CommandEvent, FIX_JOB_OPTIONS, type FixJobData, openBatchWith } from "@fixfleet/shared";
import { canSteer } from "@fixfleet/triage";
import type { ControlDeps, ControlResult } from "./control-deps.js";

/**
 * `/fixfleet retry|stop|explain` from a pull request comment. Only people with write access
 * (asked of GitHub's permission API) steer; anyone else gets a reply saying why, once.
 */
export async function handleCommand(
  event: CommandEvent,
  handle: RepoHandle,
  deps: ControlDeps,
): Promise<ControlResult> {
  const repo = `${handle.owner}/${handle.repo}`;
  const { login } = event.actor;
  const bot = await deps.botLogin();
  if (bot && bot.toLowerCase() === login.toLowerCase()) return { action: "ignored", detail: "fixfleet's own comment" };

  const role = await collaboratorPermission(handle, login);
  if (!canSteer(role)) {
    await once(deps, `reply:${event.commentId}`, () =>
      replyOnPullRequest(
        handle,
        event.pr,
        `@${login} \`/fixfleet ${event.command}\` was ignored: steering fixfleet needs write access to ${repo}, and your permission here is \`${role}\`.`,
      ),
    );
    return { action: "refused", detail: `${login} has ${role}` };
  }

  const acknowledge = () =>
    once(deps, `ack:${event.commentId}`, () => reactToComment(handle, event.commentId, "+1")).catch((error) =>
      deps.logger.warn({ err: error }, "could not react to the command"),
    );
  const now = (deps.now ?? Date.now)();

  if (event.command === "stop") {
    await deps.prState.stop(repo, event.pr, { by: login, at: now, commentId: event.commentId });
    const removed = await removeQueuedFixes(deps, repo, event.pr);
    await acknowledge();
    return { action: "stopped", detail: `${removed} queued fix job(s) removed` };
  }

  if (event.command === "retry") await deps.prState.resume(repo, event.pr);
  const failure = await deps.prState.lastFailure(repo, event.pr);
  if (!failure) {
    await once(deps, `reply:${event.commentId}`, () =>
      replyOnPullRequest(
        handle,
        event.pr,
        `@${login} there is nothing to ${event.command}: fixfleet has not seen a failure on this pull request in the last 30 days.`,
      ),
    );
    return { action: "nothing", detail: "no failure seen on this pull request" };
  }
  const batchId = await openBatchWith(deps.redis, deps.prefix, {
    batchKey: failure.batchKey,
    repository: repo,
    sha: failure.sha,
    reports: failure.reports,
    now,
  });
  const data: FixJobData = {
    v: 1,
    batchId,
    batchKey: failure.batchKey,
    repository: failure.repository,
    installationId: failure.installationId,
    sha: failure.sha,
    pr: event.pr,
    ...(failure.ref ? { ref: failure.ref } : {}),
    firstReportAt: now,
    trigger: { command: event.command, by: login, commentId: event.commentId },
  };
  await deps.fixQueue.add("fix", data, {
    ...FIX_JOB_OPTIONS,
    // One job per command comment (a retried control job adds nothing), and one manual run
    // of a pull request at a time however many people ask.
    jobId: `${event.command}-${event.commentId}`,
    deduplication: { id: `manual-${safeId(repo)}-${event.pr}` },
  });
  await acknowledge();
  return { action: event.command === "retry" ? "retry-queued" : "explain-queued", detail: batchId };
}

/** Fix jobs of the pull request still waiting (in their batch window or behind others) are dropped. */
async function removeQueuedFixes(deps: ControlDeps, repo: string, pr: number): Promise<number> {
  const waiting = await deps.fixQueue.getJobs(["delayed", "waiting", "prioritized"]);
  let removed = 0;
  for (const job of waiting) {
    const data = job.data as Partial<FixJobData>;
    const sameRepo = `${data.repository?.owner}/${data.repository?.name}`.toLowerCase() === repo.toLowerCase();
    if (!sameRepo || data.pr !== pr) continue;
    // A job may have started between the listing and now; BullMQ refuses to remove it then.
    if (
      (await job
        .remove()
        .then(() => true)
        .catch(() => false)) === true
    )
      removed += 1;
  }
  return removed;
}

/** Runs a GitHub write at most once per key, so a retried control job does not say things twice. */
async function once(deps: ControlDeps, key: string, write: () => Promise<unknown>): Promise<void> {
  const marker = `${deps.prefix}:control-done:${key}`;
  if (await deps.redis.exists(marker)) return;
  await write();
  await deps.redis.set(marker, "1", "EX", 30 * 86_400);
}

function safeId(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9._-]/g, "_");
}
