/**
 * Where batches live in Redis, under the same prefix as BullMQ's queues (see README.md).
 * Keys name a batch by its id, which contains the batch key (`owner/repo@sha`) and a sequence
 * number, so a person reading Redis sees which commit a key belongs to.
 */
export interface BatchRedisKeys {
  /** Counter of batch ids of the whole fleet. */
  sequence: string;
  /** The batch still taking reports for a repository and head commit (a string: its id). */
  open(batchKey: string): string;
  /** The batch's state and facts (a hash, fields in BatchMeta). */
  meta(batchId: string): string;
  /** The batch's reports in arrival order (a list of JSON StoredReport). */
  reports(batchId: string): string;
  /** A webhook delivery already accepted (a string: the batch id it went to). */
  delivery(deliveryId: string): string;
  /** A report already accepted: repository, run id, run attempt and job (a string: the batch id). */
  report(identity: string): string;
  /** The numeric id of a repository as GitHub's webhooks gave it (a string). */
  repositoryId(fullName: string): string;
}

export function batchRedisKeys(prefix: string): BatchRedisKeys {
  const base = `${prefix}:batches`;
  return {
    sequence: `${base}:sequence`,
    open: (batchKey) => `${base}:open:${batchKey}`,
    meta: (batchId) => `${base}:batch:${batchId}`,
    reports: (batchId) => `${base}:batch:${batchId}:reports`,
    delivery: (deliveryId) => `${prefix}:dedup:delivery:${deliveryId}`,
    report: (identity) => `${prefix}:dedup:report:${identity}`,
    repositoryId: (fullName) => `${prefix}:repository-ids:${fullName.toLowerCase()}`,
  };
}

/** The batch id of the n-th batch of the fleet for a batch key: `owner/repo@sha#n`. */
export function batchIdFor(batchKey: string, sequence: number): string {
  return `${batchKey}#${sequence}`;
}

/**
 * Reports that describe the same failure: GitHub redelivers, CI steps are retried, and one
 * attempt of a run reports each failed job once. Never includes a delivery id.
 */
export function reportIdentity(repositoryFullName: string, runId: number, runAttempt: number, job: string): string {
  return `${repositoryFullName.toLowerCase()}/${runId}/${runAttempt}/${encodeURIComponent(job)}`;
}
