import { fixCommentReactions, type RepoHandle } from "@fixfleet/github";
import type { PullRequestClosedEvent } from "@fixfleet/shared";
import type { ControlDeps, ControlResult } from "./control-deps.js";

const PROPOSAL = /^fixfleet\/pr-(\d+)$/;

/**
 * A pull request closed. Either fixfleet's own proposal (`mode: pull_request`): merged is
 * accepted, closed unmerged is rejected. Or a pull request fixfleet fixed: its fixes not taken
 * by then are rejected (a later push that brings one in still turns it accepted); in `push`
 * mode, where the fix already sat on the branch, a merge accepts it. The reactions on
 * fixfleet's comment are counted then, once.
 */
export async function handlePullRequestClosed(
  event: PullRequestClosedEvent,
  handle: RepoHandle,
  deps: ControlDeps,
): Promise<ControlResult> {
  const repo = `${handle.owner}/${handle.repo}`;
  const proposal = PROPOSAL.exec(event.headRef);
  const settled: string[] = [];
  if (proposal) {
    const fixes = await deps.fixRecords.ofPullRequest(repo, Number(proposal[1]));
    for (const fix of fixes.filter((f) => f.branch === event.headRef && f.mode === "pull_request")) {
      const outcome = event.merged ? "accepted" : "rejected";
      const why = event.merged
        ? `its pull request #${event.pr} was merged`
        : `its pull request #${event.pr} was closed unmerged`;
      if (await deps.fixRecords.settle(fix.batchId, outcome, why)) settled.push(`${fix.batchId}: ${outcome}`);
    }
    return { action: settled.length > 0 ? "settled" : "nothing", detail: settled.join(", ") || undefined };
  }

  for (const fix of await deps.fixRecords.ofPullRequest(repo, event.pr)) {
    if (fix.state !== "published") continue;
    const [outcome, why] =
      event.merged && fix.mode === "push"
        ? (["accepted", "merged with the pull request"] as const)
        : (["rejected", `the pull request closed ${event.merged ? "merged " : ""}without the fix`] as const);
    if (await deps.fixRecords.settle(fix.batchId, outcome, why)) settled.push(`${fix.batchId}: ${outcome}`);
  }
  const bot = await deps.botLogin();
  const reactions = await fixCommentReactions(handle, event.pr, bot ? { botLogin: bot } : {});
  if (reactions) await deps.fixRecords.countReactions(repo, event.pr, reactions);
  return { action: settled.length > 0 ? "settled" : "nothing", detail: settled.join(", ") || undefined };
}
