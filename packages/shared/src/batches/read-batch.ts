import type { Redis } from "ioredis";
import { batchRedisKeys } from "./batch-keys.js";
import { type BatchMeta, batchMetaSchema, type StoredReport, storedReportSchema } from "./stored-report.js";

export interface Batch {
  meta: BatchMeta;
  reports: StoredReport[];
  /** Stored entries that no longer parse (a newer ingest, a hand edit): kept out, but counted. */
  unreadable: number;
}

/** The batch's facts and reports without changing its state; undefined when it does not exist. */
export async function readBatch(redis: Redis, prefix: string, batchId: string): Promise<Batch | undefined> {
  const keys = batchRedisKeys(prefix);
  const [[metaError, meta], [reportsError, reports]] = (await redis
    .multi()
    .hgetall(keys.meta(batchId))
    .lrange(keys.reports(batchId), 0, -1)
    .exec()) as [[Error | null, Record<string, string>], [Error | null, string[]]];
  if (metaError) throw metaError;
  if (reportsError) throw reportsError;
  if (Object.keys(meta).length === 0) return undefined;
  return parseBatch(meta, reports);
}

export function parseBatch(meta: Record<string, string>, entries: readonly string[]): Batch {
  const reports: StoredReport[] = [];
  let unreadable = 0;
  for (const entry of entries) {
    const parsed = safeJson(entry);
    const report = storedReportSchema.safeParse(parsed);
    if (report.success) reports.push(report.data);
    else unreadable += 1;
  }
  return { meta: batchMetaSchema.parse(meta), reports, unreadable };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
