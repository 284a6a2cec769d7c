import type { ActionsClaimsInput, MintOptions, OidcIssuer } from "../oidc/index.js";
import type { Fault } from "./http/faults.js";
import type { SeedFiles } from "./seed/file-map.js";
import type {
  CallRecord,
  CheckRun,
  Delivery,
  Dispatch,
  IssueComment,
  Permission,
  PullRequest,
  Reaction,
  ReactionContent,
  Rerun,
  WebhookTarget,
} from "./state.js";

export interface StartFakeGitHubOptions {
  /** The App id; App JWTs must carry it as `iss`. Default: a random number. */
  appId?: number;
  appSlug?: string;
  /** PEM of the App's key; default a fresh RSA-2048 pair (private key in PKCS#1, as GitHub issues it). */
  privateKey?: string;
  /** PEM public key to verify App JWTs with, when the test keeps the private key to itself. */
  publicKey?: string;
  /** The fake's clock in ms; drives JWT checks, token expiry, timestamps and the `date` header. */
  now?: () => number;
  /** Installation token lifetime. Default one hour, as GitHub. */
  tokenTtlMs?: number;
  /** `x-ratelimit-limit` per installation per hour. */
  rateLimit?: number;
  /** Where bare repositories live; default a temp dir that `stop()` removes. */
  dataDir?: string;
  /** Default `aud` of minted Actions OIDC tokens (default `fixfleet`). */
  oidcAudience?: string;
  /** Where the App's webhooks go (as `setWebhookTarget`); default none. */
  webhook?: WebhookTarget;
}

export interface SeededRepository {
  id: number;
  owner: string;
  name: string;
  fullName: string;
  cloneUrl: string;
  defaultBranch: string;
  headSha: string;
  installationId: number;
}

export interface CreateRepositoryInput {
  owner: string;
  name: string;
  files?: SeedFiles;
  defaultBranch?: string;
  private?: boolean;
  ownerType?: "User" | "Organization";
  message?: string;
  /** Whether the App is installed on the repository (default true). */
  installed?: boolean;
  /** `"owner/name"` of the repository this is a fork of: it starts with the parent's branches (`files` is not allowed). */
  forkOf?: string;
}

export interface CommitInput {
  /** `"owner/name"`. */
  repo: string;
  branch: string;
  files: SeedFiles;
  message?: string;
  /** Branch or sha the branch starts from when it does not exist yet; default the default branch. */
  from?: string;
  author?: { name: string; email: string };
  /** Who pushes: `pusher`/`sender` of the `push` webhook; default the repository's owner. */
  user?: string;
}

export interface OpenPullRequestInput {
  repo: string;
  head: string;
  /** `"owner/name"` of a fork of `repo` whose branch `head` is proposed; default `repo` itself. */
  headRepo?: string;
  base?: string;
  title?: string;
  body?: string;
  user?: string;
  draft?: boolean;
}

export interface WorkflowJobInput {
  name: string;
  status?: "queued" | "in_progress" | "completed";
  conclusion?: string | null;
  steps?: Array<{ name: string; conclusion?: string | null; status?: "queued" | "in_progress" | "completed" }>;
  log?: string;
}

export interface AddWorkflowRunInput {
  repo: string;
  headSha: string;
  headBranch?: string | null;
  name?: string;
  path?: string;
  event?: string;
  status?: "queued" | "in_progress" | "completed";
  conclusion?: string | null;
  runAttempt?: number;
  pullRequests?: number[];
  jobs: WorkflowJobInput[];
}

export interface FaultControl {
  /** `route` is `"METHOD /template"` as octokit names it, or `"*"`; git routes are `"GET /{owner}/{repo}.git/info/refs"` etc. */
  inject: (route: string, fault: Fault) => void;
  clear: () => void;
}

export interface FakeGitHub {
  /** Base URL: octokit's `baseUrl`, `GITHUB_API_URL`. */
  url: string;
  port: number;
  appId: number;
  appSlug: string;
  /** PEM (PKCS#1) of the App's private key; undefined when the test passed only a public key. */
  privateKey: string | undefined;
  publicKey: string;
  dataDir: string;
  /**
   * The GitHub Actions OIDC issuer, served by this server at `oidcIssuerUrl` (discovery document
   * and JWKS); `oidc.mintToken(claims)` signs a token with the claims GitHub puts in them.
   */
  oidc: OidcIssuer;
  /** `GITHUB_OIDC_ISSUER` for tests: the server's own base URL (same as `url`). */
  oidcIssuerUrl: string;
  /**
   * An Actions OIDC token for a seeded repository: `repository_id`, `repository_owner_id` and
   * `repository_visibility` come from the fake's own records unless `claims` say otherwise.
   */
  mintActionsToken: (claims: ActionsClaimsInput, options?: MintOptions) => Promise<string>;
  faults: FaultControl;
  /** Every call made, in order. */
  calls: readonly CallRecord[];
  callsTo: (route: string) => CallRecord[];

  createRepository: (input: CreateRepositoryInput) => Promise<SeededRepository>;
  commit: (input: CommitInput) => Promise<string>;
  openPullRequest: (input: OpenPullRequestInput) => Promise<{ number: number; headSha: string; baseSha: string }>;
  /** A plain issue (comments work on it as on pull requests); numbers are shared with pull requests. */
  openIssue: (input: { repo: string; title?: string; body?: string; user?: string }) => { number: number };
  addWorkflowRun: (input: AddWorkflowRunInput) => {
    id: number;
    runNumber: number;
    jobs: Array<{ id: number; name: string }>;
  };
  setPermission: (repo: string, username: string, permission: Permission) => void;
  /** Adds or removes the repository from the App's installation (as a user editing the installation does). */
  setInstalled: (repo: string, installed: boolean) => void;
  installationId: (owner: string) => number;
  createInstallationToken: (installationIdOrOwner: number | string) => { token: string; expiresAt: string };
  cloneUrlWithToken: (repo: string, token: string) => string;

  comments: (repo: string, issueNumber: number) => IssueComment[];
  branches: (repo: string) => Promise<Record<string, string>>;
  readFile: (repo: string, ref: string, path: string) => Promise<string | null>;
  listFiles: (repo: string, ref: string) => Promise<string[]>;
  checkRuns: (repo: string) => CheckRun[];
  dispatches: (repo: string) => Dispatch[];
  reruns: (repo: string) => Rerun[];
  pullRequests: (repo: string) => PullRequest[];

  /**
   * Points the App's webhook at `url` (signed with `secret`), or turns delivery off. Actions
   * below then POST GitHub's webhooks there, one at a time, in the order they happened.
   */
  setWebhookTarget: (target: WebhookTarget | undefined) => void;
  /** Every delivery made, in order (failed ones too, with `status: null` and `error`). */
  deliveries: readonly Delivery[];
  /** Resolves once every webhook queued so far was delivered (those caused by REST calls are sent after the answer). */
  webhooksSettled: () => Promise<void>;

  /** `user` comments on a pull request or issue; resolves after `issue_comment` `created` was delivered. */
  comment: (input: CommentInput) => Promise<{ id: number; htmlUrl: string; delivery: Delivery | undefined }>;
  /** `user` adds a label (created on the repository when new); delivers `pull_request` (or `issues`) `labeled`. */
  addLabel: (input: LabelInput) => Promise<{ delivery: Delivery | undefined }>;
  /** `user` removes a label; delivers `unlabeled`. `removed` is false (and nothing is sent) when it was not there. */
  removeLabel: (input: LabelInput) => Promise<{ removed: boolean; delivery: Delivery | undefined }>;
  /** `user` reacts to an issue comment; GitHub sends no webhook for reactions. */
  react: (input: ReactInput) => { id: number; created: boolean };
  /**
   * `user` presses the merge button: the base branch moves in the bare repository, the pull
   * request closes as merged; delivers `push` (base branch) then `pull_request` `closed`.
   * Throws (status 405/409 as the REST route answers) when it cannot merge.
   */
  mergePullRequest: (input: MergePullRequestInput) => Promise<{ sha: string; deliveries: Delivery[] }>;
  /** `user` closes a pull request unmerged; delivers `pull_request` `closed` with `merged: false`. */
  closePullRequest: (input: { repo: string; number: number; user: string }) => Promise<{ deliveries: Delivery[] }>;
  /** As `POST /merges` (merge commit of `head` into the branch `base`); `sha` null when already merged. Delivers `push`. */
  mergeBranch: (input: MergeBranchInput) => Promise<{ sha: string | null; deliveries: Delivery[] }>;
  /** Label names of a pull request or issue. */
  labels: (repo: string, number: number) => string[];
  /** Reactions to an issue comment. */
  reactions: (repo: string, commentId: number) => Reaction[];

  stop: () => Promise<void>;
}

export interface CommentInput {
  repo: string;
  issueNumber: number;
  body: string;
  /** Login of the commenter; a new login becomes a User account. */
  user: string;
}

export interface LabelInput {
  repo: string;
  /** Pull request or issue number. */
  number: number;
  label: string;
  user: string;
}

export interface ReactInput {
  repo: string;
  commentId: number;
  content: ReactionContent;
  user: string;
}

export interface MergePullRequestInput {
  repo: string;
  number: number;
  user: string;
  /** Default `merge`. */
  method?: "merge" | "squash" | "rebase";
  /** Expected head sha (409 when the head moved). */
  sha?: string;
  commitTitle?: string;
  commitMessage?: string;
}

export interface MergeBranchInput {
  repo: string;
  base: string;
  head: string;
  user: string;
  commitMessage?: string;
}
