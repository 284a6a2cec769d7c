export { createManualClock, type ManualClock } from "./clock.js";
export type {
  AddWorkflowRunInput,
  CommentInput,
  CommitInput,
  CreateRepositoryInput,
  FakeGitHub,
  FaultControl,
  LabelInput,
  MergeBranchInput,
  MergePullRequestInput,
  OpenPullRequestInput,
  ReactInput,
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
  Delivery,
  Dispatch,
  Issue,
  IssueComment,
  Label,
  Permission,
  PullRequest,
  Reaction,
  ReactionContent,
  Rerun,
  WebhookTarget,
} from "./state.js";
