import type { PushEvent } from "@fixfleet/shared";
import type { ControlDeps, ControlResult } from "./control-deps.js";

/**
 * A push carrying commits with fixfleet's trailer: the fix reached a branch people work on
 * (merged into the PR's branch, fast-forwarded, cherry-picked, or merged onward) → accepted.
 * In `push` mode fixfleet pushed onto the PR's branch itself; that push proves nothing.
 */
export async function handlePush(event: PushEvent, deps: ControlDeps): Promise<ControlResult> {
  const repo = `${event.repository.owner}/${event.repository.name}`;
  const branch = event.ref.slice("refs/heads/".length);
  const accepted: string[] = [];
  for (const batchId of event.batchIds) {
    const fix = await deps.fixRecords.get(batchId);
    if (!fix || fix.repository.toLowerCase() !== repo.toLowerCase()) continue;
    if (fix.mode === "push" && fix.headRef === branch) continue;
    const changed = await deps.fixRecords.settle(batchId, "accepted", `reached ${branch} (${event.after.slice(0, 7)})`);
    if (!changed) continue;
    accepted.push(batchId);
    if (fix.signature) {
      // The fix held: the repository's hint for this failure is now one people took.
      // Recorded without the PR: on the PR, the same failure coming back still means it did not hold.
      const { pr: _pr, ...before } = (await deps.signatures.hint(repo, fix.signature)) ?? { signature: fix.signature };
      await deps.signatures.record(repo, {
        ...before,
        signature: fix.signature,
        outcome: "held",
        at: (deps.now ?? Date.now)(),
        ...(fix.branch ? { branch: fix.branch } : {}),
        ...(fix.commitSha ? { commitSha: fix.commitSha } : {}),
      });
    }
  }
  return { action: accepted.length > 0 ? "accepted" : "nothing", detail: accepted.join(", ") || undefined };
}
