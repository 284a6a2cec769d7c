export {
  type Annotation,
  type FailedJobContext,
  type FailedStep,
  type FailureContext,
  type FailureContextOptions,
  fetchFailureContext,
} from "./failure-context.js";
export { type LoadedRepoConfig, loadRepoConfig } from "./load-repo-config.js";
export {
  type ChangedPath,
  checkHeadCurrent,
  findPullRequestForSha,
  getPullRequestContext,
  isForkHead,
  type PullRequestContext,
} from "./pull-request-context.js";
export { fullName, type RepoHandle } from "./repo-ref.js";
export { type StreamJobLogOptions, streamJobLog } from "./stream-job-log.js";
