export { createManualClock, type ManualClock } from "./clock.js";
export type {
  AddWorkflowRunInput,
  CommitInput,
  CreateRepositoryInput,
  FakeGitHub,
  FaultControl,
  OpenPullRequestInput,
  SeededRepository,
  StartFakeGitHubOptions,
  WorkflowJobInput,
} from "./fake-github.js";
export type { Fault } from "./http/faults.js";
export type { FileMode, SeedFile, SeedFiles } from "./seed/file-map.js";
export { startFakeGitHub } from "./start-fake-github.js";
export type {
  CallRecord,
  CheckAnnotation,
  CheckRun,
  Dispatch,
  IssueComment,
  Permission,
  PullRequest,
  Rerun,
} from "./state.js";
