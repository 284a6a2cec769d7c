export {
  resolveLimits,
  type SandboxLimits,
  type SandboxLimitsInput,
  sandboxLimitsSchema,
} from "./config/sandbox-limits.js";
export { containerSpec, SANDBOX_ENV } from "./create/container-spec.js";
export {
  type CreateSandboxOptions,
  createSandbox,
  DEFAULT_SANDBOX_USER,
  type Sandbox,
  type WorkspaceMedium,
} from "./create/create-sandbox.js";
export { type CopyInOptions, DockerSandbox, destroyByName, type SandboxDiff } from "./create/docker-sandbox.js";
export type { DiffFile, DiffStatus } from "./diff/parse-diff.js";
export { callDocker } from "./docker/call-docker.js";
export { toSandboxError } from "./errors/to-sandbox-error.js";
export { OutputBuffer } from "./exec/output-buffer.js";
export type { ExecOptions, ExecResult } from "./exec/run-exec.js";
export { followProgress, type ProgressEvent } from "./images/follow-progress.js";
export { type HeartbeatStore, memoryHeartbeats, redisHeartbeats } from "./lifecycle/heartbeats.js";
export {
  LABEL_EXPIRES,
  LABEL_FLEET,
  LABEL_JOB,
  LABEL_SANDBOX,
  LABEL_WORKER,
  sandboxLabels,
} from "./lifecycle/labels.js";
export { type ReapOptions, type ReapReport, reapSandboxes } from "./lifecycle/reap-sandboxes.js";
export { type Reaper, type ReaperOptions, startReaper } from "./lifecycle/start-reaper.js";
export { newWorkerId } from "./lifecycle/worker-id.js";
export { WARM_POOL_JOB, WarmPool, type WarmPoolOptions } from "./pool/warm-pool.js";
