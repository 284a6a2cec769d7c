import { classifyGitHubError } from "@fixfleet/github";
import { createManualClock, type FakeGitHub, startFakeGitHub } from "@fixfleet/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGitHubClient, type GitHubClient } from "../src/client/index.js";

let gh: FakeGitHub;
let shop: { headSha: string };
const clock = createManualClock();

function client(extra: Partial<Parameters<typeof createGitHubClient>[0]> = {}): GitHubClient {
  return createGitHubClient({
    appId: gh.appId,
    privateKey: gh.privateKey!,
    baseUrl: gh.url,
    now: clock.now,
    retryBaseMs: 5,
    writeSpacingMs: 0,
    notificationSpacingMs: 0,
    ...extra,
  });
}

beforeAll(async () => {
  gh = await startFakeGitHub({ now: clock.now });
  shop = await gh.createRepository({ owner: "acme", name: "shop", files: { "README.md": "# shop\n" } });
});
afterAll(() => gh.stop());

// Tokens issued (a JWT refused for clock skew and retried is not a token).
const tokenCalls = () =>
  gh.callsTo("POST /app/installations/{installation_id}/access_tokens").filter((c) => c.status === 201).length;

describe("GitHub App auth", () => {
  it("looks the installation up from the repository and caches one token per installation", async () => {
    const c = client();
    const id = await c.installationIdFor("acme", "shop");
    expect(id).toBe(gh.installationId("acme"));
    const before = tokenCalls();
    const octokit = c.forInstallation(id);
    await Promise.all([
      octokit.rest.repos.get({ owner: "acme", repo: "shop" }),
      octokit.rest.repos.get({ owner: "acme", repo: "shop" }),
    ]);
    await octokit.rest.repos.get({ owner: "acme", repo: "shop" });
    expect(tokenCalls() - before).toBe(1);
  });

  it("renews the token before it expires and after the clock passes its expiry", async () => {
    const c = client({ renewBeforeMs: 5 * 60_000 });
    const id = await c.installationIdFor("acme", "shop");
    const octokit = c.forInstallation(id);
    await octokit.rest.repos.get({ owner: "acme", repo: "shop" });
    const first = (await c.tokens.get(id)).token;
    clock.advance(56 * 60_000); // inside the renewal window, before expiry
    await octokit.rest.repos.get({ owner: "acme", repo: "shop" });
    const second = (await c.tokens.get(id)).token;
    expect(second).not.toBe(first);
    clock.advance(3 * 60 * 60_000); // far past expiry: the JWT and the token are both judged by the fake's clock
    const { data } = await octokit.rest.repos.get({ owner: "acme", repo: "shop" });
    expect(data.full_name).toBe("acme/shop");
    expect((await c.tokens.get(id)).token).not.toBe(second);
    expect(c.secrets()).toHaveLength(3);
  });

  it("retries a token GitHub refuses with a fresh one", async () => {
    const c = client();
    const id = await c.installationIdFor("acme", "shop");
    const octokit = c.forInstallation(id);
    await octokit.rest.repos.get({ owner: "acme", repo: "shop" });
    gh.faults.inject("GET /repos/{owner}/{repo}", { status: 401, times: 1, body: { message: "Bad credentials" } });
    const before = tokenCalls();
    await octokit.rest.repos.get({ owner: "acme", repo: "shop" });
    expect(tokenCalls() - before).toBe(1);
  });
});

describe("retries and rate limits", () => {
  it("retries 502 and 500 answers and then succeeds", async () => {
    const c = client();
    const octokit = c.forInstallation(await c.installationIdFor("acme", "shop"));
    gh.faults.inject("GET /repos/{owner}/{repo}", { status: 502, times: 1 });
    gh.faults.inject("GET /repos/{owner}/{repo}/branches/{branch}", { status: 500, times: 2 });
    expect((await octokit.rest.repos.get({ owner: "acme", repo: "shop" })).status).toBe(200);
    expect((await octokit.rest.repos.getBranch({ owner: "acme", repo: "shop", branch: "main" })).status).toBe(200);
    const statuses = gh.callsTo("GET /repos/{owner}/{repo}/branches/{branch}").map((call) => call.status);
    expect(statuses.slice(-3)).toEqual([500, 500, 200]);
  });

  it("backs off a secondary rate limit for the retry-after GitHub asked for, then succeeds", async () => {
    const c = client({ retryBaseMs: 20 });
    const octokit = c.forInstallation(await c.installationIdFor("acme", "shop"));
    gh.faults.inject("GET /repos/{owner}/{repo}/pulls", { secondaryRateLimit: true, retryAfter: 3, times: 1 });
    const started = performance.now();
    const { status } = await octokit.rest.pulls.list({ owner: "acme", repo: "shop" });
    expect(status).toBe(200);
    // retry-after 3 × the 20 ms unit: the wait was honoured, scaled for the test.
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  it("waits for x-ratelimit-reset after a primary rate limit, then succeeds", async () => {
    const warnings: string[] = [];
    // The reset is an hour away; a unit of 1 µs per second makes the honoured wait a few ms.
    const c = client({
      retryBaseMs: 0.001,
      maxRateLimitWaitSeconds: 24 * 3600,
      log: { debug() {}, info() {}, error() {}, warn: (m) => warnings.push(m) },
    });
    const octokit = c.forInstallation(await c.installationIdFor("acme", "shop"));
    gh.faults.inject("GET /repos/{owner}/{repo}/pulls", { primaryRateLimit: true, times: 1 });
    expect((await octokit.rest.pulls.list({ owner: "acme", repo: "shop" })).status).toBe(200);
    expect(
      gh
        .callsTo("GET /repos/{owner}/{repo}/pulls")
        .slice(-2)
        .map((call) => call.status),
    ).toEqual([403, 200]);
    const waited = Number(/retrying in (\d+) s/.exec(warnings.join("\n"))?.[1]);
    expect(waited).toBeGreaterThan(3600); // the time until x-ratelimit-reset, not a default
  });

  it("gives up on a rate limit that asks for longer than allowed, as a transient error", async () => {
    const c = client({ maxRateLimitWaitSeconds: 10 });
    const octokit = c.forInstallation(await c.installationIdFor("acme", "shop"));
    gh.faults.inject("GET /repos/{owner}/{repo}/pulls", { secondaryRateLimit: true, retryAfter: 120, times: 1 });
    const error = await octokit.rest.pulls.list({ owner: "acme", repo: "shop" }).catch((e: unknown) => e);
    const classified = classifyGitHubError(error);
    expect(classified.kind).toBe("transient");
    expect(classified.reason).toContain("secondary rate limit");
  });

  it("classifies 404 and 403 as permanent with their reason", async () => {
    const c = client();
    const octokit = c.forInstallation(await c.installationIdFor("acme", "shop"));
    const notFound = await octokit.rest.repos.get({ owner: "acme", repo: "gone" }).catch((e: unknown) => e);
    const e404 = classifyGitHubError(notFound, "reading acme/gone");
    expect(e404.kind).toBe("permanent");
    expect(e404.reason).toContain("reading acme/gone: not found: GET /repos/acme/gone (404)");
    gh.faults.inject("POST /repos/{owner}/{repo}/check-runs", {
      status: 403,
      times: 1,
      body: { message: "Resource not accessible by integration" },
    });
    const forbidden = await octokit.rest.checks
      .create({ owner: "acme", repo: "shop", name: "fixfleet", head_sha: shop.headSha })
      .catch((e: unknown) => e);
    const e403 = classifyGitHubError(forbidden);
    expect(e403.kind).toBe("permanent");
    expect(e403.reason).toContain("lacks permission for POST /repos/acme/shop/check-runs");
    expect(e403.reason).toContain('"Checks: read and write"');
  });

  it("a repository without the App is a permanent error naming it", async () => {
    const c = client();
    await expect(c.installationIdFor("nobody", "nothing")).rejects.toMatchObject({
      kind: "permanent",
      reason: expect.stringContaining("finding the App's installation on nobody/nothing"),
    });
  });

  it("times a hanging call out", async () => {
    const c = client({ requestTimeoutMs: 200, retries: 0 });
    const octokit = c.forInstallation(await c.installationIdFor("acme", "shop"));
    gh.faults.inject("GET /repos/{owner}/{repo}/pulls", { delayMs: 2_000, times: 1 });
    const error = await octokit.rest.pulls.list({ owner: "acme", repo: "shop" }).catch((e: unknown) => e);
    expect(classifyGitHubError(error).kind).toBe("transient");
  });
});

describe("write spacing", () => {
  it("spaces one installation's writes as GitHub asks, without holding back another installation's", async () => {
    const spacingMs = 1_500;
    const c = client({ writeSpacingMs: spacingMs });
    const other = await gh.createRepository({ owner: "umbrella", name: "api", files: { "README.md": "# api\n" } });
    const a = c.forInstallation(await c.installationIdFor("acme", "shop"));
    const b = c.forInstallation(other.installationId);
    const blob = (octokit: typeof a, owner: string, repo: string) =>
      octokit.rest.git.createBlob({ owner, repo, content: "x", encoding: "utf-8" }).then(() => Date.now());
    // Warm both installations' tokens so only the writes are timed.
    await Promise.all([
      a.rest.repos.get({ owner: "acme", repo: "shop" }),
      b.rest.repos.get({ owner: "umbrella", repo: "api" }),
    ]);
    const started = Date.now();
    const [sameFirst, sameSecond, otherFirst] = await Promise.all([
      blob(a, "acme", "shop"),
      blob(a, "acme", "shop"),
      blob(b, "umbrella", "api"),
    ]);
    expect(Math.abs(sameSecond - sameFirst)).toBeGreaterThanOrEqual(spacingMs - 100);
    expect(otherFirst - started).toBeLessThan(spacingMs);
  });
});
