export {
  type BatchRedisKeys,
  batchIdFor,
  batchRedisKeys,
  reportIdentity,
} from "./batch-keys.js";
export { type CloseBatchOptions, closeBatch } from "./close-batch.js";
export { type OpenBatchWithInput, openBatchWith } from "./open-batch-with.js";
export { type Batch, parseBatch, readBatch } from "./read-batch.js";
export { type RedisScript, redisScript } from "./redis-script.js";
export { type StartedBatch, startBatch } from "./start-batch.js";
export {
  type BatchMeta,
  type BatchState,
  batchMetaSchema,
  batchStateSchema,
  type ReportSource,
  reportSourceSchema,
  type StoredReport,
  storedReportSchema,
} from "./stored-report.js";
