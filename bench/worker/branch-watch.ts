import type { FakeGitHub } from "@fixfleet/testkit";

const REF_WRITE = /^\/repos\/([^/]+\/[^/]+)\/git\/refs(\/heads\/fixfleet\/.*)?$/;

/**
 * When each repository's fix branch appeared in the fake GitHub: the moment its ref write
 * (`POST …/git/refs`, or `PATCH` of a `fixfleet/` ref) has been answered with a 2xx, polled
 * from the fake's call log every `intervalMs`.
 */
export function watchBranches(gh: FakeGitHub, intervalMs = 25) {
  const published = new Map<string, number>();
  const pending: Array<(typeof gh.calls)[number]> = [];
  let seen = 0;
  const tick = () => {
    const calls = gh.calls;
    for (; seen < calls.length; seen++) {
      const call = calls[seen];
      if (call && (call.method === "POST" || call.method === "PATCH") && REF_WRITE.test(call.path)) pending.push(call);
    }
    const now = Date.now();
    for (let i = pending.length - 1; i >= 0; i--) {
      const call = pending[i];
      if (!call || call.status === 0) continue;
      pending.splice(i, 1);
      const repo = REF_WRITE.exec(call.path)?.[1];
      if (repo && call.status >= 200 && call.status < 300 && !published.has(repo)) published.set(repo, now);
    }
  };
  const timer = setInterval(tick, intervalMs);
  return {
    published,
    stop: () => clearInterval(timer),
    async waitFor(repos: readonly string[], timeoutMs: number, context: () => string): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (repos.some((r) => !published.has(r))) {
        if (Date.now() > deadline) {
          const missing = repos.filter((r) => !published.has(r));
          throw new Error(`no fix branch after ${timeoutMs} ms in ${missing.join(", ")}\n${context().slice(-8000)}`);
        }
        await new Promise((r) => setTimeout(r, intervalMs));
      }
    },
  };
}
