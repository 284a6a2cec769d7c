export {
  batchIdsInMessage,
  type CommandEvent,
  type ControlJobData,
  commandEventSchema,
  controlJobDataSchema,
  FIX_COMMIT_TRAILER,
  type PullRequestClosedEvent,
  type PushEvent,
  pullRequestClosedEventSchema,
  pushEventSchema,
} from "./control-job.js";
export { type FixJobData, fixJobDataSchema, type RepositoryRef, repositoryRefSchema } from "./fix-job.js";
export { FIX_JOB_OPTIONS } from "./fix-job-options.js";
export { DEFAULT_KEY_PREFIX, QUEUE_NAMES, type QueueName } from "./queue-names.js";
