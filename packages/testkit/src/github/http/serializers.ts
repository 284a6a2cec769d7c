import { DEFAULT_PERMISSIONS } from "../auth/installation-tokens.js";
import { authorAssociation } from "../auth/repository-role.js";
import type {
  Account,
  CheckRun,
  FakeGitHubState,
  Installation,
  Issue,
  IssueComment,
  Label,
  PullRequest,
  Reaction,
  Repository,
  WorkflowJob,
  WorkflowRun,
} from "../state.js";

/** JSON shapes of GitHub's REST API (2022-11-28), built from the fake's state. */

export const iso = (ms: number | null) =>
  ms === null ? null : new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");

export const nodeId = (kind: string, id: number) => Buffer.from(`0:${kind}${id}`).toString("base64").replace(/=+$/, "");

export function accountJson(state: FakeGitHubState, account: Account) {
  const api = `${state.baseUrl}/users/${account.login}`;
  return {
    login: account.login,
    id: account.id,
    node_id: nodeId("User", account.id),
    avatar_url: `https://avatars.githubusercontent.com/u/${account.id}?v=4`,
    gravatar_id: "",
    url: api,
    html_url: `https://github.com/${account.login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: account.type,
    user_view_type: "public",
    site_admin: false,
  };
}

export function repoApiUrl(state: FakeGitHubState, repo: Repository | string): string {
  const fullName = typeof repo === "string" ? repo : repo.fullName;
  return `${state.baseUrl}/repos/${fullName}`;
}

export function cloneUrl(state: FakeGitHubState, repo: Repository): string {
  return `${state.baseUrl}/${repo.fullName}.git`;
}

export function repositoryJson(state: FakeGitHubState, repo: Repository) {
  const api = repoApiUrl(state, repo);
  return {
    id: repo.id,
    node_id: nodeId("Repository", repo.id),
    name: repo.name,
    full_name: repo.fullName,
    private: repo.private,
    owner: accountJson(state, repo.owner),
    html_url: `https://github.com/${repo.fullName}`,
    description: null,
    fork: repo.parent !== undefined,
    url: api,
    forks_url: `${api}/forks`,
    keys_url: `${api}/keys{/key_id}`,
    teams_url: `${api}/teams`,
    issue_events_url: `${api}/issues/events{/number}`,
    events_url: `${api}/events`,
    assignees_url: `${api}/assignees{/user}`,
    tags_url: `${api}/tags`,
    blobs_url: `${api}/git/blobs{/sha}`,
    statuses_url: `${api}/statuses/{sha}`,
    languages_url: `${api}/languages`,
    stargazers_url: `${api}/stargazers`,
    contributors_url: `${api}/contributors`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    compare_url: `${api}/compare/{base}...{head}`,
    merges_url: `${api}/merges`,
    downloads_url: `${api}/downloads`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    labels_url: `${api}/labels{/name}`,
    releases_url: `${api}/releases{/id}`,
    deployments_url: `${api}/deployments`,
    archive_url: `${api}/{archive_format}{/ref}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    contents_url: `${api}/contents/{+path}`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issues_url: `${api}/issues{/number}`,
    pulls_url: `${api}/pulls{/number}`,
    trees_url: `${api}/git/trees{/sha}`,
    hooks_url: `${api}/hooks`,
    git_url: `git://127.0.0.1/${repo.fullName}.git`,
    ssh_url: `git@127.0.0.1:${repo.fullName}.git`,
    clone_url: cloneUrl(state, repo),
    svn_url: `https://github.com/${repo.fullName}`,
    mirror_url: null,
    homepage: null,
    size: 0,
    stargazers_count: 0,
    watchers_count: 0,
    language: null,
    has_issues: true,
    has_projects: true,
    has_downloads: true,
    has_wiki: false,
    has_pages: false,
    has_discussions: false,
    forks_count: 0,
    archived: false,
    disabled: false,
    open_issues_count: (state.pulls.get(repo.fullName.toLowerCase()) ?? []).filter((p) => p.state === "open").length,
    license: null,
    allow_forking: true,
    is_template: false,
    topics: [],
    visibility: repo.private ? "private" : "public",
    forks: 0,
    open_issues: 0,
    watchers: 0,
    default_branch: repo.defaultBranch,
    created_at: iso(repo.createdAt),
    updated_at: iso(repo.createdAt),
    pushed_at: iso(repo.createdAt),
    permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
    temp_clone_token: "",
    allow_squash_merge: true,
    allow_merge_commit: true,
    allow_rebase_merge: true,
    delete_branch_on_merge: false,
    web_commit_signoff_required: false,
    custom_properties: {},
    network_count: 0,
    subscribers_count: 0,
  };
}

export function installationJson(state: FakeGitHubState, installation: Installation) {
  return {
    id: installation.id,
    account: accountJson(state, installation.account),
    repository_selection: "selected",
    access_tokens_url: `${state.baseUrl}/app/installations/${installation.id}/access_tokens`,
    repositories_url: `${state.baseUrl}/installation/repositories`,
    html_url: `https://github.com/settings/installations/${installation.id}`,
    app_id: state.app.id,
    app_slug: state.app.slug,
    client_id: `Iv1.${state.app.id.toString(16).padStart(16, "0")}`,
    target_id: installation.account.id,
    target_type: installation.account.type,
    permissions: { ...DEFAULT_PERMISSIONS },
    events: ["check_run", "pull_request", "push", "repository_dispatch", "workflow_run"],
    created_at: iso(installation.createdAt),
    updated_at: iso(installation.createdAt),
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null,
  };
}

export function appJson(state: FakeGitHubState) {
  return {
    id: state.app.id,
    slug: state.app.slug,
    client_id: `Iv1.${state.app.id.toString(16).padStart(16, "0")}`,
    node_id: nodeId("Integration", state.app.id),
    owner: accountJson(state, state.app.owner),
    name: state.app.name,
    description: "",
    external_url: "https://fixfleet.example",
    html_url: `https://github.com/apps/${state.app.slug}`,
    created_at: iso(state.app.createdAt),
    updated_at: iso(state.app.createdAt),
    permissions: { ...DEFAULT_PERMISSIONS },
    events: ["check_run", "pull_request", "push", "repository_dispatch", "workflow_run"],
  };
}

export function botAccount(state: FakeGitHubState): Account {
  return { login: `${state.app.slug}[bot]`, id: 100_000_000 + state.app.id, type: "Bot" };
}

export const REACTION_CONTENTS = ["+1", "-1", "laugh", "hooray", "confused", "heart", "rocket", "eyes"] as const;

/** The `reactions` rollup GitHub puts on comments and issues. */
export function reactionsRollup(url: string, reactions: Reaction[]) {
  const counts = Object.fromEntries(
    REACTION_CONTENTS.map((content) => [content, reactions.filter((r) => r.content === content).length]),
  ) as Record<(typeof REACTION_CONTENTS)[number], number>;
  return { url, total_count: reactions.length, ...counts };
}

export function reactionJson(state: FakeGitHubState, reaction: Reaction) {
  return {
    id: reaction.id,
    node_id: nodeId("Reaction", reaction.id),
    user: accountJson(state, reaction.user),
    content: reaction.content,
    created_at: iso(reaction.createdAt),
  };
}

function repositoryOf(state: FakeGitHubState, fullName: string): Repository | undefined {
  return state.repositories.get(fullName.toLowerCase());
}

export function commentJson(state: FakeGitHubState, comment: IssueComment) {
  const repoUrl = repoApiUrl(state, comment.repo);
  const repo = repositoryOf(state, comment.repo);
  const isPull = (state.pulls.get(comment.repo.toLowerCase()) ?? []).some((p) => p.number === comment.issueNumber);
  return {
    id: comment.id,
    node_id: nodeId("IssueComment", comment.id),
    url: `${repoUrl}/issues/comments/${comment.id}`,
    html_url: `https://github.com/${comment.repo}/${isPull ? "pull" : "issues"}/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${repoUrl}/issues/${comment.issueNumber}`,
    body: comment.body,
    user: accountJson(state, comment.user),
    created_at: iso(comment.createdAt),
    updated_at: iso(comment.updatedAt),
    author_association: repo ? authorAssociation(state, repo, comment.user) : "NONE",
    // Comments written with an installation token carry the App, as on GitHub.
    performed_via_github_app: comment.user.type === "Bot" ? appJson(state) : null,
    reactions: reactionsRollup(
      `${repoUrl}/issues/comments/${comment.id}/reactions`,
      state.reactions.filter((r) => r.commentId === comment.id),
    ),
  };
}

export function labelJson(state: FakeGitHubState, repo: Repository, label: Label) {
  return {
    id: label.id,
    node_id: nodeId("Label", label.id),
    url: `${repoApiUrl(state, repo)}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    color: label.color,
    default: label.default,
    description: label.description,
  };
}

/** `installation` as webhooks carry it. */
export function installationRefJson(id: number) {
  return { id, node_id: nodeId("IntegrationInstallation", id) };
}

/** `organization` as webhooks of an organisation's repository carry it. */
export function organizationJson(state: FakeGitHubState, account: Account) {
  const api = `${state.baseUrl}/orgs/${account.login}`;
  return {
    login: account.login,
    id: account.id,
    node_id: nodeId("Organization", account.id),
    url: api,
    repos_url: `${api}/repos`,
    events_url: `${api}/events`,
    hooks_url: `${api}/hooks`,
    issues_url: `${api}/issues`,
    members_url: `${api}/members{/member}`,
    public_members_url: `${api}/public_members{/member}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${account.id}?v=4`,
    description: null,
  };
}

/**
 * An issue as `GET /issues/{n}` and issue webhooks show it; a pull request seen as an issue
 * carries `pull_request` with its URLs and `merged_at`.
 */
export function issueJson(state: FakeGitHubState, repo: Repository, item: Issue | PullRequest) {
  const api = repoApiUrl(state, repo);
  const isPull = "headRef" in item;
  const html = `https://github.com/${repo.fullName}/${isPull ? "pull" : "issues"}/${item.number}`;
  return {
    url: `${api}/issues/${item.number}`,
    repository_url: api,
    labels_url: `${api}/issues/${item.number}/labels{/name}`,
    comments_url: `${api}/issues/${item.number}/comments`,
    events_url: `${api}/issues/${item.number}/events`,
    html_url: html,
    id: item.id,
    node_id: nodeId(isPull ? "PullRequest" : "Issue", item.id),
    number: item.number,
    title: item.title,
    user: accountJson(state, item.user),
    labels: item.labels.map((l) => labelJson(state, repo, l)),
    state: item.state,
    locked: false,
    assignee: null,
    assignees: [],
    milestone: null,
    comments: state.comments.filter((c) => c.repo === repo.fullName && c.issueNumber === item.number).length,
    created_at: iso(item.createdAt),
    updated_at: iso(item.updatedAt),
    closed_at: iso(item.closedAt),
    author_association: authorAssociation(state, repo, item.user),
    active_lock_reason: null,
    ...(isPull
      ? {
          draft: item.draft,
          pull_request: {
            url: `${api}/pulls/${item.number}`,
            html_url: html,
            diff_url: `${html}.diff`,
            patch_url: `${html}.patch`,
            merged_at: iso(item.mergedAt),
          },
        }
      : {}),
    body: item.body,
    reactions: reactionsRollup(`${api}/issues/${item.number}/reactions`, []),
    timeline_url: `${api}/issues/${item.number}/timeline`,
    performed_via_github_app: null,
    state_reason: item.state === "closed" ? (isPull ? null : "completed") : null,
  };
}

export function pullJson(
  state: FakeGitHubState,
  repo: Repository,
  pull: PullRequest,
  shas: { head: string; base: string },
  /** Computed only where GitHub answers it (a single pull request); lists say null/"unknown". */
  mergeability?: { mergeable: boolean; rebaseable: boolean; mergeableState: "clean" | "dirty" },
) {
  const api = repoApiUrl(state, repo);
  const repoJson = repositoryJson(state, repo);
  const headRepo = (pull.headRepo && state.repositories.get(pull.headRepo.toLowerCase())) || repo;
  return {
    url: `${api}/pulls/${pull.number}`,
    id: pull.id,
    node_id: nodeId("PullRequest", pull.id),
    html_url: `https://github.com/${repo.fullName}/pull/${pull.number}`,
    diff_url: `https://github.com/${repo.fullName}/pull/${pull.number}.diff`,
    patch_url: `https://github.com/${repo.fullName}/pull/${pull.number}.patch`,
    issue_url: `${api}/issues/${pull.number}`,
    commits_url: `${api}/pulls/${pull.number}/commits`,
    review_comments_url: `${api}/pulls/${pull.number}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${pull.number}/comments`,
    statuses_url: `${api}/statuses/${shas.head}`,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: accountJson(state, pull.user),
    body: pull.body,
    labels: pull.labels.map((l) => labelJson(state, repo, l)),
    milestone: null,
    active_lock_reason: null,
    created_at: iso(pull.createdAt),
    updated_at: iso(pull.updatedAt),
    closed_at: iso(pull.closedAt),
    merged_at: iso(pull.mergedAt),
    merge_commit_sha: pull.mergeCommitSha,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: {
      label: `${headRepo.owner.login}:${pull.headRef}`,
      ref: pull.headRef,
      sha: shas.head,
      user: accountJson(state, headRepo.owner),
      repo: headRepo === repo ? repoJson : repositoryJson(state, headRepo),
    },
    base: {
      label: `${repo.owner.login}:${pull.baseRef}`,
      ref: pull.baseRef,
      sha: shas.base,
      user: accountJson(state, repo.owner),
      repo: repoJson,
    },
    _links: {
      self: { href: `${api}/pulls/${pull.number}` },
      html: { href: `https://github.com/${repo.fullName}/pull/${pull.number}` },
      issue: { href: `${api}/issues/${pull.number}` },
      comments: { href: `${api}/issues/${pull.number}/comments` },
      commits: { href: `${api}/pulls/${pull.number}/commits` },
      statuses: { href: `${api}/statuses/${shas.head}` },
    },
    author_association: authorAssociation(state, repo, pull.user),
    auto_merge: null,
    draft: pull.draft,
    merged: pull.mergedAt !== null,
    mergeable: mergeability?.mergeable ?? null,
    rebaseable: mergeability?.rebaseable ?? null,
    mergeable_state: mergeability?.mergeableState ?? "unknown",
    merged_by: pull.mergedBy ? accountJson(state, pull.mergedBy) : null,
    comments: state.comments.filter((c) => c.repo === repo.fullName && c.issueNumber === pull.number).length,
    review_comments: 0,
    maintainer_can_modify: false,
  };
}

export function runJson(state: FakeGitHubState, repo: Repository, run: WorkflowRun, pulls: unknown[]) {
  const api = repoApiUrl(state, repo);
  return {
    id: run.id,
    name: run.name,
    node_id: nodeId("WorkflowRun", run.id),
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: run.path,
    display_title: run.name,
    run_number: run.runNumber,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: run.workflowId,
    check_suite_id: run.id + 1,
    url: `${api}/actions/runs/${run.id}`,
    html_url: `https://github.com/${repo.fullName}/actions/runs/${run.id}`,
    pull_requests: pulls,
    created_at: iso(run.createdAt),
    updated_at: iso(run.updatedAt),
    actor: accountJson(state, repo.owner),
    triggering_actor: accountJson(state, repo.owner),
    run_attempt: run.runAttempt,
    referenced_workflows: [],
    run_started_at: iso(run.createdAt),
    jobs_url: `${api}/actions/runs/${run.id}/jobs`,
    logs_url: `${api}/actions/runs/${run.id}/logs`,
    check_suite_url: `${api}/check-suites/${run.id + 1}`,
    artifacts_url: `${api}/actions/runs/${run.id}/artifacts`,
    cancel_url: `${api}/actions/runs/${run.id}/cancel`,
    rerun_url: `${api}/actions/runs/${run.id}/rerun`,
    previous_attempt_url: run.runAttempt > 1 ? `${api}/actions/runs/${run.id}/attempts/${run.runAttempt - 1}` : null,
    workflow_url: `${api}/actions/workflows/${run.workflowId}`,
    head_commit: { id: run.headSha, tree_id: null, message: "", timestamp: iso(run.createdAt) },
    repository: repositoryJson(state, repo),
    head_repository: repositoryJson(state, repo),
  };
}

export function jobJson(state: FakeGitHubState, repo: Repository, run: WorkflowRun, job: WorkflowJob) {
  const api = repoApiUrl(state, repo);
  return {
    id: job.id,
    run_id: run.id,
    run_url: `${api}/actions/runs/${run.id}`,
    run_attempt: job.runAttempt,
    node_id: nodeId("WorkflowJob", job.id),
    head_sha: run.headSha,
    head_branch: run.headBranch,
    url: `${api}/actions/jobs/${job.id}`,
    html_url: `https://github.com/${repo.fullName}/actions/runs/${run.id}/job/${job.id}`,
    status: job.status,
    conclusion: job.conclusion,
    created_at: iso(job.startedAt),
    started_at: iso(job.startedAt),
    completed_at: iso(job.completedAt),
    name: job.name,
    steps: job.steps.map((step) => ({
      name: step.name,
      status: step.status,
      conclusion: step.conclusion,
      number: step.number,
      started_at: iso(job.startedAt),
      completed_at: iso(job.completedAt),
    })),
    check_run_url: `${api}/check-runs/${job.id}`,
    labels: ["ubuntu-latest"],
    runner_id: 1,
    runner_name: "GitHub Actions 1",
    runner_group_id: 1,
    runner_group_name: "GitHub Actions",
    workflow_name: run.name,
  };
}

export function checkRunJson(state: FakeGitHubState, repo: Repository, run: CheckRun) {
  const api = repoApiUrl(state, repo);
  return {
    id: run.id,
    head_sha: run.headSha,
    node_id: nodeId("CheckRun", run.id),
    external_id: run.externalId ?? "",
    url: `${api}/check-runs/${run.id}`,
    html_url: `https://github.com/${repo.fullName}/runs/${run.id}`,
    details_url: run.detailsUrl ?? `https://github.com/${repo.fullName}/runs/${run.id}`,
    status: run.status,
    conclusion: run.conclusion,
    started_at: iso(run.startedAt),
    completed_at: iso(run.completedAt),
    output: {
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      annotations_count: run.annotations.length,
      annotations_url: `${api}/check-runs/${run.id}/annotations`,
    },
    name: run.name,
    check_suite: { id: run.id + 1 },
    app: appJson(state),
    pull_requests: [],
  };
}
