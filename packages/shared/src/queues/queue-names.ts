/** Every BullMQ queue of the fleet, in one place. BullMQ queue names may not contain ":". */
export const QUEUE_NAMES = {
  /** One job per batch of failures of a repository and head commit. */
  fix: "fixfleet-fix",
  /** PR commands and the push / pull_request events that decide a fix's outcome. */
  control: "fixfleet-control",
} as const;

export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

/** Redis key prefix of BullMQ and of fixfleet's own keys. */
export const DEFAULT_KEY_PREFIX = "fixfleet";
