/** CONTRACT.md §5: `fixfleet/pr-<N>`, or `fixfleet/<sha7>` for a commit without a pull request. */
export function fixBranchName(target: { pr?: number | undefined; sha: string }): string {
  return target.pr ? `fixfleet/pr-${target.pr}` : `fixfleet/${target.sha.slice(0, 7)}`;
}
