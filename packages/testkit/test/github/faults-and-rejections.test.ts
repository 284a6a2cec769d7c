import type { RequestError } from "@octokit/request-error";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeGitHub, startFakeGitHub } from "../../src/github/index.js";
import { git, installationOctokit, type TestOctokitInstance, tempDir } from "./helpers.js";

const GET_REPO = "GET /repos/{owner}/{repo}";

describe("fake GitHub faults", () => {
  let gh: FakeGitHub;
  let octokit: TestOctokitInstance;

  beforeAll(async () => {
    gh = await startFakeGitHub();
    await gh.createRepository({ owner: "acme", name: "shop", files: { "a.txt": "a\n" } });
    octokit = await installationOctokit(gh, "acme");
  });
  afterAll(() => gh.stop());

  it("answers 502 once, and @octokit/plugin-retry retries to success", async () => {
    gh.faults.inject(GET_REPO, { status: 502 });
    const { data } = await octokit.request(GET_REPO, { owner: "acme", repo: "shop" });
    expect(data.full_name).toBe("acme/shop");
    expect(gh.callsTo(GET_REPO).map((c) => c.status)).toEqual([502, 200]);
  });

  it("answers a secondary rate limit with GitHub's message and retry-after", async () => {
    gh.faults.inject("POST /repos/{owner}/{repo}/dispatches", { secondaryRateLimit: true, retryAfter: 7 });
    const error = await octokit
      .request("POST /repos/{owner}/{repo}/dispatches", { owner: "acme", repo: "shop", event_type: "x" })
      .catch((e: RequestError) => e);
    expect((error as RequestError).status).toBe(403);
    expect((error as RequestError).response?.headers["retry-after"]).toBe("7");
    expect((error as RequestError).message).toMatch(/secondary rate limit/);
    await expect(
      octokit.request("POST /repos/{owner}/{repo}/dispatches", { owner: "acme", repo: "shop", event_type: "x" }),
    ).resolves.toMatchObject({ status: 204 });
  });

  it("answers a primary rate limit with x-ratelimit-remaining 0", async () => {
    gh.faults.inject(GET_REPO, { primaryRateLimit: true });
    const error = await octokit.request(GET_REPO, { owner: "acme", repo: "shop" }).catch((e: RequestError) => e);
    expect((error as RequestError).status).toBe(403);
    expect((error as RequestError).response?.headers["x-ratelimit-remaining"]).toBe("0");
  });

  it("answers 404 for the next N calls, then recovers", async () => {
    gh.faults.inject(GET_REPO, { status: 404, times: 2 });
    for (let i = 0; i < 2; i++) {
      const error = await octokit.request(GET_REPO, { owner: "acme", repo: "shop" }).catch((e: RequestError) => e);
      expect((error as RequestError).response?.data).toMatchObject({ message: "Not Found", status: "404" });
    }
    await expect(octokit.request(GET_REPO, { owner: "acme", repo: "shop" })).resolves.toMatchObject({ status: 200 });
  });

  it("adds latency", async () => {
    gh.faults.inject(GET_REPO, { delayMs: 150 });
    const started = performance.now();
    await octokit.request(GET_REPO, { owner: "acme", repo: "shop" });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("faults git smart HTTP too", async () => {
    const work = await tempDir();
    try {
      gh.faults.inject("GET /{owner}/{repo}.git/info/refs", { status: 500 });
      const url = gh.cloneUrlWithToken("acme/shop", gh.createInstallationToken("acme").token);
      await expect(git(work.path, "clone", "-q", url, "one")).rejects.toThrow();
      await git(work.path, "clone", "-q", url, "two");
    } finally {
      await work.remove();
    }
  });
});

describe("fake GitHub rejects what GitHub rejects", () => {
  let gh: FakeGitHub;
  let octokit: TestOctokitInstance;

  beforeAll(async () => {
    gh = await startFakeGitHub();
    await gh.createRepository({ owner: "acme", name: "shop", files: { "a.txt": "a\n" } });
    await gh.commit({ repo: "acme/shop", branch: "topic", files: { "b.txt": "b\n" } });
    await gh.openPullRequest({ repo: "acme/shop", head: "topic" });
    octokit = await installationOctokit(gh, "acme");
  });
  afterAll(() => gh.stop());

  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => expect.unreachable(),
      (e: RequestError) => e,
    );

  it("answers an unknown route 404 in GitHub's shape", async () => {
    const error = await failure(
      octokit.request("GET /repos/{owner}/{repo}/no-such-thing", { owner: "acme", repo: "shop" }),
    );
    expect(error.status).toBe(404);
    expect(error.response?.data).toEqual({
      message: "Not Found",
      documentation_url: "https://docs.github.com/rest",
      status: "404",
    });
    expect(error.response?.headers["x-github-request-id"]).toBeTruthy();
    expect(gh.calls.at(-1)).toMatchObject({ route: null, status: 404 });
  });

  it("answers a missing required field with 422 Validation Failed and its errors", async () => {
    const error = await failure(
      octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
        owner: "acme",
        repo: "shop",
        issue_number: 1,
      } as never),
    );
    expect(error.status).toBe(422);
    expect(error.response?.data).toMatchObject({
      message: "Validation Failed",
      errors: [{ resource: "IssueComment", code: "missing_field", field: "body" }],
      status: "422",
    });
    expect(gh.comments("acme/shop", 1)).toEqual([]);

    const tree = await failure(
      octokit.request("POST /repos/{owner}/{repo}/git/trees", { owner: "acme", repo: "shop" } as never),
    );
    expect(tree.status).toBe(422);
    expect(tree.response?.data).toMatchObject({ errors: [{ field: "tree", code: "missing_field" }] });

    const check = await failure(
      octokit.request("POST /repos/{owner}/{repo}/check-runs", { owner: "acme", repo: "shop", name: "x" } as never),
    );
    expect(check.response?.data).toMatchObject({ errors: [{ field: "head_sha", code: "missing_field" }] });

    const dispatch = await failure(
      octokit.request("POST /repos/{owner}/{repo}/dispatches", { owner: "acme", repo: "shop" } as never),
    );
    expect(dispatch.status).toBe(422);
    expect(gh.dispatches("acme/shop")).toEqual([]);
  });

  it("refuses a client_payload with more than 10 top-level properties", async () => {
    const payload = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, i]));
    const error = await failure(
      octokit.rest.repos.createDispatchEvent({
        owner: "acme",
        repo: "shop",
        event_type: "fixfleet",
        client_payload: payload,
      }),
    );
    expect(error.status).toBe(422);
  });

  it("refuses a completed check run without a conclusion, and a ref that exists", async () => {
    const { data: main } = await octokit.rest.git.getRef({ owner: "acme", repo: "shop", ref: "heads/main" });
    const check = await failure(
      octokit.rest.checks.create({
        owner: "acme",
        repo: "shop",
        name: "x",
        head_sha: main.object.sha,
        status: "completed",
      }),
    );
    expect(check.response?.data).toMatchObject({ errors: [{ field: "conclusion", code: "missing_field" }] });
    const exists = await failure(
      octokit.rest.git.createRef({ owner: "acme", repo: "shop", ref: "refs/heads/topic", sha: main.object.sha }),
    );
    expect(exists.response?.data).toMatchObject({ message: "Reference already exists", status: "422" });
    const missing = await failure(
      octokit.rest.git.createRef({ owner: "acme", repo: "shop", ref: "refs/heads/x", sha: "0".repeat(40) }),
    );
    expect(missing.response?.data).toMatchObject({ message: "Object does not exist" });
  });

  it("answers malformed JSON with 400 Problems parsing JSON", async () => {
    const { token } = gh.createInstallationToken("acme");
    const response = await fetch(`${gh.url}/repos/acme/shop/issues/1/comments`, {
      method: "POST",
      headers: { authorization: `token ${token}`, "content-type": "application/json" },
      body: "{not json",
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ message: "Problems parsing JSON", status: "400" });
  });

  it("answers an unsupported X-GitHub-Api-Version with 400, and takes the supported one", async () => {
    const headers = (version: string) => ({
      owner: "acme",
      repo: "shop",
      headers: { "x-github-api-version": version },
    });
    const error = await failure(octokit.request("GET /repos/{owner}/{repo}", headers("2020-01-01")));
    expect(error.status).toBe(400);
    expect(error.message).toContain("Unsupported 'X-GitHub-Api-Version' header '2020-01-01'");
    await expect(octokit.request("GET /repos/{owner}/{repo}", headers("2022-11-28"))).resolves.toMatchObject({
      status: 200,
    });
  });
});
