import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dispatchPayload, type Harness, report, SHA_B, startHarness } from "./harness.js";

const REPO = "octo-org/octo-repo";
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ allowedEventNames: ["push", "workflow_run"] });
});
afterAll(async () => {
  await h.close();
});

const token = (claims: Record<string, unknown> = {}, options = {}) =>
  h.issuer.mintToken({ repository: REPO, ...claims }, options);

async function clearJobs() {
  for (const job of await h.jobs()) await job.remove();
}

describe("POST /v1/failures with a GitHub Actions OIDC token", () => {
  it("accepts a report of the token's repository", async () => {
    const res = await h.failure({ ...report({ sha: SHA_B }), repository: REPO }, await token());
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: true, batch: `${REPO}@${SHA_B}` });
    const [job] = await h.jobs();
    expect(job?.data).toMatchObject({ repository: { owner: "octo-org", name: "octo-repo", id: 2000 }, sha: SHA_B });
    await clearJobs();
  });

  it("takes the issuer's keys from its discovery document, once, and the JWKS from its cache", async () => {
    const before = { ...h.issuer.fetches };
    for (let i = 0; i < 3; i += 1) {
      expect((await h.failure({ ...report(), repository: REPO }, await token())).status).toBe(202);
    }
    expect(h.issuer.fetches.discovery).toBe(before.discovery);
    expect(h.issuer.fetches.jwks).toBe(before.jwks);
    await clearJobs();
  });

  it("refuses a request without a token, or with another scheme, with 401", async () => {
    const body = { ...report(), repository: REPO };
    const missing = await h.failure(body, undefined);
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toMatch(/^Bearer/);
    const basic = await h.failure(body, undefined, { authorization: "Basic dXNlcjpwYXNz" });
    expect(basic.status).toBe(401);
    const garbage = await h.failure(body, "not.a.jwt");
    expect(garbage.status).toBe(401);
  });

  it.each([
    ["a wrong audience", { aud: "someone-else" }, {}, /audience/],
    ["an expired token", {}, { issuedAt: Math.floor(Date.now() / 1000) - 3_600, expiresIn: 300 }, /expired/],
    ["a token not valid yet", {}, { notBefore: Math.floor(Date.now() / 1000) + 600 }, /not valid yet/],
    ["another issuer", {}, { issuer: "https://token.actions.example.com" }, /issuer/],
    ["an unknown kid", {}, { unpublishedKey: true }, /key the issuer does not publish/],
    ["no exp", {}, { omit: ["exp"] }, /"exp"/],
  ])("refuses %s with 401", async (_what, claims, options, message) => {
    const res = await h.failure({ ...report(), repository: REPO }, await token(claims, options));
    expect(res.status).toBe(401);
    expect((await res.json()).message).toMatch(message);
    expect(await h.jobs()).toHaveLength(0);
  });

  it("allows the clock skew of a few seconds on exp", async () => {
    const issuedAt = Math.floor(Date.now() / 1000) - 310;
    const res = await h.failure({ ...report(), repository: REPO }, await token({}, { issuedAt, expiresIn: 300 }));
    expect(res.status).toBe(202);
    await clearJobs();
  });

  it("accepts tokens of a new signing key after the issuer rotates (unknown kid refetches the JWKS)", async () => {
    const before = h.issuer.fetches.jwks;
    await h.issuer.rotateKey({ dropOld: true });
    const res = await h.failure({ ...report(), repository: REPO }, await token());
    expect(res.status).toBe(202);
    expect(h.issuer.fetches.jwks).toBe(before + 1);
    await clearJobs();
  });

  it("refuses a token of another repository with 403", async () => {
    const res = await h.failure({ ...report(), repository: REPO }, await token({ repository: "evil-org/octo-repo" }));
    expect(res.status).toBe(403);
    expect((await res.json()).message).toMatch(/issued to a workflow of evil-org\/octo-repo/);
    expect(await h.jobs()).toHaveLength(0);
  });

  it("never trusts sub: a sub naming the repository does not make a token of another repository valid", async () => {
    const res = await h.failure(
      { ...report(), repository: REPO },
      await token({ repository: "evil-org/x", sub: `repo:${REPO}:ref:refs/heads/main` }),
    );
    expect(res.status).toBe(403);
  });

  it("refuses a token whose repository_id differs from the id GitHub's webhooks gave (a recreated repository)", async () => {
    const other = "octo-org/recreated";
    const hook = await h.webhook(
      "repository_dispatch",
      dispatchPayload(report(), { owner: "octo-org", name: "recreated", id: 31337 }),
    );
    expect(hook.status).toBe(202);
    await clearJobs();
    const wrong = await h.failure(
      { ...report(), repository: other },
      await token({ repository: other, repository_id: "1" }),
    );
    expect(wrong.status).toBe(403);
    expect((await wrong.json()).message).toMatch(/repository id 1 is not the id/);
    const right = await h.failure(
      { ...report(), repository: other },
      await token({ repository: other, repository_id: "31337" }),
    );
    expect(right.status).toBe(202);
    await clearJobs();
  });

  it("accepts only the configured event names (workflow_run included)", async () => {
    const fromRun = await h.failure({ ...report(), repository: REPO }, await token({ event_name: "workflow_run" }));
    expect(fromRun.status).toBe(202);
    const fromPrTarget = await h.failure(
      { ...report(), repository: REPO },
      await token({ event_name: "pull_request_target" }),
    );
    expect(fromPrTarget.status).toBe(403);
    expect((await fromPrTarget.json()).message).toMatch(/"pull_request_target" workflows may not report/);
    await clearJobs();
  });

  it("names each missing or bad field in a 422", async () => {
    const res = await h.failure({ job: "x", paths: ["/etc"] }, await token());
    expect(res.status).toBe(422);
    const problems = (await res.json()).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: "v", message: "is required" },
        { path: "run_id", message: "is required" },
        { path: "sha", message: "is required" },
        { path: "repository", message: "is required" },
        { path: "paths.0", message: "must be a relative path inside the repository" },
      ]),
    );
  });

  it("refuses a body that is not JSON: 415 for the type, 400 for truncated JSON", async () => {
    const t = await token();
    expect(
      (await h.failure(JSON.stringify({ ...report(), repository: REPO }), t, { "content-type": "text/plain" })).status,
    ).toBe(415);
    expect((await h.failure('{"v":1,"run_id":', t)).status).toBe(400);
  });

  it("accepts the same run, attempt and job once", async () => {
    const body = { ...report(), repository: REPO };
    expect((await h.failure(body, await token())).status).toBe(202);
    const again = await h.failure(body, await token());
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ duplicate: true });
    await clearJobs();
  });
});
