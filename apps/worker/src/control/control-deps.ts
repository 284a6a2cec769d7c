import type { GitHubClient } from "@fixfleet/github";
import type { Logger } from "@fixfleet/shared";
import type { SignatureStore } from "@fixfleet/triage";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { FixRecords } from "../outcomes/fix-records.js";
import type { PrStateStore } from "./pr-state-store.js";

/** What the control processor needs, passed in so tests run it against real Redis and the fake GitHub. */
export interface ControlDeps {
  github: GitHubClient;
  redis: Redis;
  prefix: string;
  /** The fix queue, where `/fixfleet retry` and `explain` add their run. */
  fixQueue: Queue;
  prState: PrStateStore;
  fixRecords: FixRecords;
  signatures: SignatureStore;
  /** The App's bot login (`<slug>[bot]`), asked of GitHub once: its own comments are not commands. */
  botLogin: () => Promise<string | undefined>;
  logger: Logger;
  now?: () => number;
}

/** What a control job did, kept as the job's result (and shown on the dashboard). */
export interface ControlResult {
  action: string;
  detail?: string | undefined;
}
