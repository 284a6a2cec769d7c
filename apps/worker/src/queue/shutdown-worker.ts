import type { Worker } from "bullmq";

/**
 * Stops taking jobs and lets running ones finish within the grace period; past it, running
 * jobs are cancelled (their processors see the abort signal and hand the job back to the
 * queue), so another worker completes them later, once.
 */
export async function shutdownWorker(worker: Worker, graceMs: number): Promise<{ handedBack: boolean }> {
  let handedBack = false;
  const timer = setTimeout(() => {
    handedBack = true;
    worker.cancelAllJobs("worker shutting down");
  }, graceMs);
  try {
    await worker.close();
  } finally {
    clearTimeout(timer);
  }
  return { handedBack };
}
