import type { FixJobData } from "@fixfleet/shared";

/** Fixes of one pull request (or of one branch without a PR) run one at a time. */
export function serializationKey(data: FixJobData): string {
  const repo = `${data.repository.owner}/${data.repository.name}`.toLowerCase();
  if (data.pr !== undefined) return `${repo}#${data.pr}`;
  return `${repo}@${data.ref ?? data.sha}`;
}

/** No fixes of fixfleet's own branches: a fix that fails CI must not summon another fix. */
export function isFixfleetRef(ref: string | undefined): boolean {
  return ref !== undefined && /^(refs\/heads\/)?fixfleet\//.test(ref);
}
