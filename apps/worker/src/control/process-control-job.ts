import type { RepoHandle } from "@fixfleet/github";
import { classifyError, controlJobDataSchema } from "@fixfleet/shared";
import { type Job, UnrecoverableError } from "bullmq";
import type { ControlDeps, ControlResult } from "./control-deps.js";
import { handleCommand } from "./handle-command.js";
import { handlePullRequestClosed } from "./handle-pull-request-closed.js";
import { handlePush } from "./handle-push.js";

/**
 * One control job: a PR command or an outcome event. Transient failures (GitHub or Redis
 * hiccups) are retried by BullMQ; permanent ones end the job with their reason.
 */
export async function processControlJob(job: Job, deps: ControlDeps): Promise<ControlResult> {
  const parsed = controlJobDataSchema.safeParse(job.data);
  if (!parsed.success) {
    throw new UnrecoverableError(
      `the job's data is not a control event: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}`,
    );
  }
  const event = parsed.data;
  const { owner, name } = event.repository;
  const log = deps.logger.child({ control: event.type, job: job.id, repo: `${owner}/${name}` });
  try {
    const installationId = event.installationId ?? (await deps.github.installationIdFor(owner, name));
    const handle: RepoHandle = { octokit: deps.github.forInstallation(installationId), owner, repo: name };
    let result: ControlResult;
    switch (event.type) {
      case "command":
        result = await handleCommand(event, handle, deps);
        break;
      case "push":
        result = await handlePush(event, deps);
        break;
      case "pull_request_closed":
        result = await handlePullRequestClosed(event, handle, deps);
        break;
    }
    log.info({ result }, `control event handled: ${result.action}`);
    return result;
  } catch (error) {
    const failure = classifyError(error);
    log.warn({ err: error, kind: failure.kind }, `control event failed: ${failure.reason}`);
    if (failure.kind === "permanent") throw new UnrecoverableError(failure.reason);
    throw failure;
  }
}
