/**
 * The claims GitHub Actions puts in an OIDC token
 * (https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect).
 * GitHub sends ids and numbers as strings; so does this.
 */
export interface ActionsClaims {
  jti: string;
  sub: string;
  aud: string | string[];
  ref: string;
  sha: string;
  repository: string;
  repository_owner: string;
  repository_owner_id: string;
  repository_id: string;
  repository_visibility: "public" | "private" | "internal";
  run_id: string;
  run_number: string;
  run_attempt: string;
  actor: string;
  actor_id: string;
  workflow: string;
  workflow_ref: string;
  workflow_sha: string;
  job_workflow_ref: string;
  job_workflow_sha: string;
  head_ref: string;
  base_ref: string;
  event_name: string;
  ref_type: "branch" | "tag";
  ref_protected: string;
  runner_environment: "github-hosted" | "self-hosted";
  [extra: string]: unknown;
}

/** What a test says about the run; everything else gets a plausible value. */
export interface ActionsClaimsInput extends Partial<ActionsClaims> {
  repository: string;
}

let counter = 0;

export function actionsClaims(input: ActionsClaimsInput): ActionsClaims {
  counter += 1;
  const [owner = "octo-org"] = input.repository.split("/");
  const ref = input.ref ?? "refs/heads/main";
  const workflowPath = ".github/workflows/ci.yml";
  const sha = input.sha ?? "0123456789abcdef0123456789abcdef01234567";
  const base: ActionsClaims = {
    jti: `${Date.now().toString(36)}-${counter}`,
    sub: `repo:${input.repository}:ref:${ref}`,
    aud: "fixfleet",
    ref,
    sha,
    repository: input.repository,
    repository_owner: owner,
    repository_owner_id: "1000",
    repository_id: "2000",
    repository_visibility: "private",
    run_id: String(9_000_000_000 + counter),
    run_number: String(counter),
    run_attempt: "1",
    actor: "octocat",
    actor_id: "583231",
    workflow: "CI",
    workflow_ref: `${input.repository}/${workflowPath}@${ref}`,
    workflow_sha: sha,
    job_workflow_ref: `${input.repository}/${workflowPath}@${ref}`,
    job_workflow_sha: sha,
    head_ref: "",
    base_ref: "",
    event_name: "push",
    ref_type: "branch",
    ref_protected: "false",
    runner_environment: "github-hosted",
  };
  return { ...base, ...input } as ActionsClaims;
}
