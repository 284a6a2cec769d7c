import type { BareRepository } from "./git/bare-repository.js";

export type Permission = "admin" | "maintain" | "write" | "triage" | "read" | "none";

export interface Account {
  login: string;
  id: number;
  type: "User" | "Organization" | "Bot";
}

export interface Installation {
  id: number;
  account: Account;
  createdAt: number;
}

export interface Repository {
  id: number;
  owner: Account;
  name: string;
  fullName: string;
  private: boolean;
  defaultBranch: string;
  installationId: number;
  /** False once the App is removed from the repository: tokens no longer see it. */
  installed: boolean;
  /** The repository this one is a fork of. */
  parent?: Repository;
  git: BareRepository;
  createdAt: number;
  permissions: Map<string, Permission>;
}

export interface PullRequest {
  id: number;
  number: number;
  repo: string;
  title: string;
  body: string | null;
  user: Account;
  headRef: string;
  /** Full name of the repository the head branch lives in, when it is a fork. */
  headRepo?: string;
  baseRef: string;
  state: "open" | "closed";
  draft: boolean;
  labels: Label[];
  createdAt: number;
  updatedAt: number;
  closedAt: number | null;
  mergedAt: number | null;
  mergeCommitSha: string | null;
  mergedBy: Account | null;
  /** Head and base as they were when the pull request closed; GitHub stops following the branches then. */
  closedShas: { head: string; base: string } | null;
}

/** A plain issue; it shares its number sequence with pull requests. */
export interface Issue {
  number: number;
  id: number;
  title: string;
  body: string | null;
  user: Account;
  state: "open" | "closed";
  labels: Label[];
  createdAt: number;
  updatedAt: number;
  closedAt: number | null;
}

export interface Label {
  id: number;
  name: string;
  color: string;
  description: string | null;
  /** One of the labels GitHub gives every new repository. */
  default: boolean;
}

export type ReactionContent = "+1" | "-1" | "laugh" | "confused" | "heart" | "hooray" | "rocket" | "eyes";

export interface Reaction {
  id: number;
  commentId: number;
  content: ReactionContent;
  user: Account;
  createdAt: number;
}

export interface WebhookTarget {
  url: string;
  secret: string;
}

export interface Delivery {
  /** `X-GitHub-Event`. */
  event: string;
  action: string | null;
  /** `X-GitHub-Delivery`. */
  deliveryId: string;
  /** The receiver's HTTP status; null when no answer came (refused, timed out). */
  status: number | null;
  /** Why the delivery failed without an answer. */
  error?: string;
  // biome-ignore lint/suspicious/noExplicitAny: a webhook payload in GitHub's shape, read by tests
  payload: any;
  url: string;
  at: number;
  durationMs: number;
}

export interface IssueComment {
  id: number;
  repo: string;
  issueNumber: number;
  body: string;
  user: Account;
  createdAt: number;
  updatedAt: number;
}

export interface WorkflowStep {
  name: string;
  number: number;
  status: "queued" | "in_progress" | "completed";
  conclusion: string | null;
}

export interface WorkflowJob {
  id: number;
  runId: number;
  runAttempt: number;
  name: string;
  status: "queued" | "in_progress" | "completed";
  conclusion: string | null;
  steps: WorkflowStep[];
  log: string;
  startedAt: number;
  completedAt: number | null;
}

export interface WorkflowRun {
  id: number;
  repo: string;
  name: string;
  path: string;
  workflowId: number;
  runNumber: number;
  runAttempt: number;
  event: string;
  status: "queued" | "in_progress" | "completed";
  conclusion: string | null;
  headSha: string;
  headBranch: string | null;
  pullRequests: number[];
  jobs: WorkflowJob[];
  createdAt: number;
  updatedAt: number;
}

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title?: string;
  raw_details?: string;
}

export interface CheckRun {
  id: number;
  repo: string;
  name: string;
  headSha: string;
  status: string;
  conclusion: string | null;
  externalId: string | null;
  detailsUrl: string | null;
  startedAt: number | null;
  completedAt: number | null;
  output: { title: string | null; summary: string | null; text: string | null };
  annotations: CheckAnnotation[];
  actions: unknown[];
}

export interface Dispatch {
  repo: string;
  eventType: string;
  clientPayload: Record<string, unknown>;
  at: number;
}

export interface Rerun {
  repo: string;
  runId: number;
  kind: "rerun-failed-jobs" | "rerun";
  enableDebugLogging: boolean;
  at: number;
}

export interface InstallationToken {
  token: string;
  installationId: number;
  expiresAt: number;
  /** Repository ids the token is limited to; null for all of the installation's. */
  repositoryIds: number[] | null;
  permissions: Record<string, string>;
}

export interface CallRecord {
  method: string;
  path: string;
  /** The route template as octokit names it (`GET /repos/{owner}/{repo}`), null when unknown. */
  route: string | null;
  query: Record<string, string>;
  body: unknown;
  status: number;
  installationId: number | null;
  at: number;
  /** The `Git-Protocol` header of git smart HTTP calls (`version=2`). */
  gitProtocol?: string;
}

/** Everything the fake knows; routes, seeding and inspection all read and write this one object. */
export interface FakeGitHubState {
  baseUrl: string;
  dataDir: string;
  now: () => number;
  app: { id: number; slug: string; name: string; owner: Account; createdAt: number };
  publicKey: import("node:crypto").KeyObject;
  tokenTtlMs: number;
  rateLimit: number;
  accounts: Map<string, Account>;
  installations: Map<number, Installation>;
  repositories: Map<string, Repository>;
  tokens: Map<string, InstallationToken>;
  rateUsage: Map<string, { used: number; resetAt: number }>;
  pulls: Map<string, PullRequest[]>;
  /** Plain issues by repository key; they share their number sequence with pull requests. */
  issues: Map<string, Issue[]>;
  comments: IssueComment[];
  /** Labels defined on each repository (by repository key), created lazily with GitHub's defaults. */
  labels: Map<string, Label[]>;
  reactions: Reaction[];
  /** Where webhooks go; undefined delivers none. */
  webhook: WebhookTarget | undefined;
  deliveries: Delivery[];
  /** The tail of the delivery queue: deliveries are sent one after another, in the order they were caused. */
  deliveryQueue: Promise<void>;
  runs: WorkflowRun[];
  checkRuns: CheckRun[];
  dispatches: Dispatch[];
  reruns: Rerun[];
  calls: CallRecord[];
  nextId: () => number;
  /** Short-lived keys of job-log blob URLs, as GitHub's signed storage URLs. */
  logBlobs: Map<string, { text: string; expiresAt: number }>;
}

export function repoKey(owner: string, name: string): string {
  return `${owner}/${name}`.toLowerCase();
}
