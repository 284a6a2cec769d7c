export const LABEL_JOB = "fixfleet.job";
export const LABEL_WORKER = "fixfleet.worker";
export const LABEL_EXPIRES = "fixfleet.expires";
/**
 * The fleet a sandbox belongs to. Fleets that share a Docker engine but not a Redis (staging and
 * production, or test runs) cannot see each other's heartbeats, so each reaper judges only its own.
 */
export const LABEL_FLEET = "fixfleet.fleet";
/** Marks what this package made (a reaper filter that can never match anyone else's). */
export const LABEL_SANDBOX = "fixfleet.sandbox";

export function sandboxLabels(input: {
  jobId: string;
  workerId: string;
  expiresAt: number;
  extra?: Record<string, string>;
}): Record<string, string> {
  return {
    ...input.extra,
    [LABEL_SANDBOX]: "1",
    [LABEL_JOB]: input.jobId,
    [LABEL_WORKER]: input.workerId,
    [LABEL_EXPIRES]: String(input.expiresAt),
  };
}

/** Epoch ms, or undefined when the label is missing or not a number. */
export function expiresAt(labels: Record<string, string> | undefined): number | undefined {
  const raw = labels?.[LABEL_EXPIRES];
  if (!raw) return undefined;
  const n = Number(raw);
  if (Number.isFinite(n)) return n;
  const t = Date.parse(raw);
  return Number.isFinite(t) ? t : undefined;
}
