export { type FixJobData, fixJobDataSchema, type RepositoryRef, repositoryRefSchema } from "./fix-job.js";
export { DEFAULT_KEY_PREFIX, QUEUE_NAMES, type QueueName } from "./queue-names.js";
