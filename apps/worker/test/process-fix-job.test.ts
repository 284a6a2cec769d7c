import { TransientError } from "@fixfleet/shared";
import { Job } from "bullmq";
import { afterEach, describe, expect, it } from "vitest";
import { shutdownWorker } from "../src/queue/shutdown-worker.js";
import { createHarness, type Harness, permanent, recordingPorts } from "./pipeline-harness.js";

let h: Harness;
afterEach(async () => {
  await h?.close();
});

async function finished(id: string) {
  const job = await Job.fromId(h.queue, id);
  return job!.waitUntilFinished(h.events, 20_000);
}

describe("a fix job", () => {
  it("goes through context, fix and publish once and ends fixed", async () => {
    h = await createHarness();
    const { ports, calls } = recordingPorts();
    h.startWorker(ports);
    const result = await finished(await h.add());
    expect(result.outcome.kind).toBe("fixed");
    expect(calls).toEqual(["context", "head", "fix", "head", "publish"]);
    const metrics = await h.metrics.registry.getSingleMetricAsString("fixfleet_fix_jobs_total");
    expect(metrics).toContain('fixfleet_fix_jobs_total{outcome="fixed"} 1');
  });

  it("resumes after the last finished stage: a failing publish never re-runs the model", async () => {
    h = await createHarness();
    let publishes = 0;
    const { ports, calls } = recordingPorts({
      async publish() {
        publishes += 1;
        if (publishes <= 2) throw new TransientError("GitHub answered 502");
        return { branch: "fixfleet/pr-1" };
      },
    });
    h.startWorker(ports);
    const result = await finished(await h.add({}, { attempts: 5 }));
    expect(result.outcome.kind).toBe("fixed");
    expect(publishes).toBe(3);
    expect(calls.filter((c) => c === "fix")).toHaveLength(1);
    expect(calls.filter((c) => c === "context")).toHaveLength(1);
  });

  it("ends at once on a permanent error, with the reason reported and kept on the job", async () => {
    h = await createHarness();
    let tries = 0;
    const { ports, reported } = recordingPorts({
      async gatherContext() {
        tries += 1;
        throw permanent("the repository octo/app was not found (404): is the App still installed?");
      },
    });
    h.startWorker(ports);
    const id = await h.add({}, { attempts: 5 });
    await expect(finished(id)).rejects.toThrow(/repository octo\/app was not found/);
    expect(tries).toBe(1);
    expect(reported).toEqual([{ kind: "failed", reason: expect.stringContaining("was not found (404)") }]);
    const job = await Job.fromId(h.queue, id);
    expect(job?.failedReason).toMatch(/was not found/);
    expect(job?.attemptsMade).toBe(1);
  });

  it("reports a failure once, after the last try of a transient error", async () => {
    h = await createHarness();
    const { ports, reported } = recordingPorts({
      async attemptFix() {
        throw new TransientError("the Docker engine did not answer");
      },
    });
    h.startWorker(ports);
    await expect(finished(await h.add({}, { attempts: 3 }))).rejects.toThrow(/Docker engine/);
    expect(reported).toHaveLength(1);
    expect(reported[0]?.kind).toBe("failed");
  });

  it("is dropped as stale when the pull request moved on, without a model run", async () => {
    h = await createHarness();
    const { ports, calls, reported } = recordingPorts({
      async isCurrentHead() {
        return false;
      },
    });
    h.startWorker(ports);
    const result = await finished(await h.add());
    expect(result.outcome.kind).toBe("stale");
    expect(calls).not.toContain("fix");
    expect(reported[0]?.kind).toBe("stale");
  });

  it("is not published when the pull request moved on while the model worked", async () => {
    h = await createHarness();
    let heads = 0;
    const { ports, calls } = recordingPorts({
      async isCurrentHead() {
        heads += 1;
        return heads === 1;
      },
    });
    h.startWorker(ports);
    const result = await finished(await h.add());
    expect(result.outcome.kind).toBe("stale");
    expect(calls).toContain("fix");
    expect(calls).not.toContain("publish");
  });

  it("never fixes fixfleet's own branches", async () => {
    h = await createHarness();
    const { ports, calls } = recordingPorts();
    h.startWorker(ports);
    const result = await finished(await h.add({ ref: "refs/heads/fixfleet/pr-7", pr: undefined }));
    expect(result.outcome.kind).toBe("skipped");
    // Nothing is read or run; the outcome is reported without a context, which closes the batch.
    expect(calls).toEqual(["report:skipped"]);
  });
});

describe("the fleet's limits", () => {
  it("runs one fix at a time per pull request", async () => {
    h = await createHarness();
    let running = 0;
    let most = 0;
    const { ports } = recordingPorts({
      async attemptFix() {
        running += 1;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 300));
        running -= 1;
        return { status: "verified", reason: "ok", diff: "" };
      },
    });
    h.startWorker(ports, { concurrency: 3 });
    const ids = [await h.add({ batchId: "x1" }), await h.add({ batchId: "x2" }), await h.add({ batchId: "x3", pr: 2 })];
    await Promise.all(ids.map(finished));
    // PR 1's two fixes ran one after the other; PR 2's ran beside them.
    expect(most).toBe(2);
  });

  it("never runs more model runs than the fleet-wide limit, across worker processes", async () => {
    h = await createHarness();
    let running = 0;
    let most = 0;
    const make = () =>
      recordingPorts({
        async attemptFix() {
          running += 1;
          most = Math.max(most, running);
          await new Promise((r) => setTimeout(r, 200));
          running -= 1;
          return { status: "verified", reason: "ok", diff: "" };
        },
      }).ports;
    h.startWorker(make(), { concurrency: 2, modelSlots: 1 });
    h.startWorker(make(), { concurrency: 2, modelSlots: 1 });
    const ids = [];
    for (let pr = 1; pr <= 4; pr++) ids.push(await h.add({ pr, batchId: `m${pr}` }));
    const results = await Promise.all(ids.map(finished));
    expect(results.every((r) => r.outcome.kind === "fixed")).toBe(true);
    expect(most).toBe(1);
  });

  it("stops attempts on a pull request past the daily limit and says when it resets", async () => {
    h = await createHarness();
    const { ports, calls } = recordingPorts();
    h.startWorker(ports, { dailyLimit: 1 });
    expect((await finished(await h.add({ batchId: "d1" }))).outcome.kind).toBe("fixed");
    const second = await finished(await h.add({ batchId: "d2" }));
    expect(second.outcome).toEqual({
      kind: "skipped",
      reason: expect.stringMatching(/daily limit of 1 .* resets at \d{4}-/),
    });
    expect(calls.filter((c) => c === "fix")).toHaveLength(1);
  });
});

describe("shutdown", () => {
  it("hands a running job back past the grace period; another worker completes it once", async () => {
    h = await createHarness();
    let started = 0;
    const slow = recordingPorts({
      async attemptFix(_ctx, signal) {
        started += 1;
        await new Promise((resolve, reject) => {
          const t = setTimeout(resolve, 30_000);
          signal.addEventListener("abort", () => {
            clearTimeout(t);
            reject(new Error("aborted"));
          });
        });
        return { status: "verified", reason: "ok", diff: "" };
      },
    });
    const first = h.startWorker(slow.ports);
    const id = await h.add();
    while (started === 0) await new Promise((r) => setTimeout(r, 20));
    const { handedBack } = await shutdownWorker(first, 200);
    expect(handedBack).toBe(true);
    expect(await (await Job.fromId(h.queue, id))?.getState()).toBe("waiting");

    const fast = recordingPorts();
    h.startWorker(fast.ports);
    const result = await finished(id);
    expect(result.outcome.kind).toBe("fixed");
    expect(fast.calls.filter((c) => c === "publish")).toHaveLength(1);
    expect(slow.calls).not.toContain("publish");
  });
});
