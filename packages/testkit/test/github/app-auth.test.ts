import { createPrivateKey } from "node:crypto";
import { Octokit } from "@octokit/core";
import { RequestError } from "@octokit/request-error";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createManualClock, type FakeGitHub, startFakeGitHub } from "../../src/github/index.js";
import { appFor, installationOctokit, tokenOctokit } from "./helpers.js";

describe("fake GitHub App authentication", () => {
  const clock = createManualClock();
  let gh: FakeGitHub;

  beforeAll(async () => {
    gh = await startFakeGitHub({ now: clock.now });
    await gh.createRepository({ owner: "acme", name: "shop", files: { "README.md": "# shop\n" } });
    await gh.createRepository({ owner: "other", name: "lib", files: { "a.txt": "a" } });
  });
  afterAll(() => gh.stop());

  it("takes @octokit/app from App JWT to installation token to REST calls", async () => {
    const app = appFor(gh);
    const { data: me } = await app.octokit.request("GET /app");
    expect(me?.id).toBe(gh.appId);
    const { data: installation } = await app.octokit.request("GET /repos/{owner}/{repo}/installation", {
      owner: "acme",
      repo: "shop",
    });
    expect(installation.id).toBe(gh.installationId("acme"));
    const octokit = await app.getInstallationOctokit(installation.id);
    const { data: repo, headers } = await octokit.request("GET /repos/{owner}/{repo}", { owner: "acme", repo: "shop" });
    expect(repo.full_name).toBe("acme/shop");
    expect(repo.clone_url).toBe(`${gh.url}/acme/shop.git`);
    expect(headers["x-github-request-id"]).toMatch(/\S+/);
    expect(headers["x-ratelimit-limit"]).toBe("5000");
    expect(Number(headers["x-ratelimit-remaining"])).toBeLessThan(5000);
    expect(headers["x-ratelimit-resource"]).toBe("core");
    const tokenCall = gh.callsTo("POST /app/installations/{installation_id}/access_tokens").at(-1)!;
    expect(tokenCall.status).toBe(201);
  });

  it("mints ghs_ tokens with a one-hour expiry", async () => {
    const app = appFor(gh);
    const { data } = await app.octokit.request("POST /app/installations/{installation_id}/access_tokens", {
      installation_id: gh.installationId("acme"),
    });
    expect(data.token).toMatch(/^ghs_[A-Za-z0-9]{36}$/);
    expect(Date.parse(data.expires_at)).toBe(Math.floor(clock.now() / 1000) * 1000 + 3_600_000);
  });

  it("refuses a JWT whose signature is not the App key's, with GitHub's message", async () => {
    const now = Math.floor(clock.now() / 1000);
    const genuine = await new SignJWT({ iss: String(gh.appId) })
      .setProtectedHeader({ alg: "RS256" })
      .setIssuedAt(now - 30)
      .setExpirationTime(now + 500)
      .sign(createPrivateKey(gh.privateKey!));
    // Same header and claims, another signature: what a JWT signed by a different key looks like here.
    const [header, payload, signature] = genuine.split(".") as [string, string, string];
    const forged = Buffer.from(signature, "base64url");
    forged[0] = forged[0]! ^ 0xff;
    const jwt = `${header}.${payload}.${forged.toString("base64url")}`;
    const error = await new Octokit({ baseUrl: gh.url, auth: jwt }).request("GET /app").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestError);
    expect((error as RequestError).status).toBe(401);
    expect((error as RequestError).response?.data).toMatchObject({
      message: "A JSON web token could not be decoded",
      status: "401",
    });
  });

  it("refuses a JWT that lives longer than ten minutes or claims a future iat", async () => {
    const key = createPrivateKey(gh.privateKey!);
    const now = Math.floor(clock.now() / 1000);
    const sign = (iat: number, exp: number) =>
      new SignJWT({ iss: String(gh.appId) })
        .setProtectedHeader({ alg: "RS256" })
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .sign(key);
    const tooLong = await new Octokit({ baseUrl: gh.url, auth: await sign(now, now + 601) })
      .request("GET /app")
      .catch((e: RequestError) => e);
    expect((tooLong as RequestError).message).toContain("'Expiration time' claim ('exp') is too far in the future");
    const future = await new Octokit({ baseUrl: gh.url, auth: await sign(now + 120, now + 600) })
      .request("GET /app")
      .catch((e: RequestError) => e);
    expect((future as RequestError).message).toContain("'Issued at' claim ('iat')");
    const wrongIss = await new SignJWT({ iss: String(gh.appId + 1) })
      .setProtectedHeader({ alg: "RS256" })
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(key);
    const wrong = await new Octokit({ baseUrl: gh.url, auth: wrongIss })
      .request("GET /app")
      .catch((e: RequestError) => e);
    expect((wrong as RequestError).status).toBe(401);
  });

  it("answers 401 Bad credentials without a token, and once the token has expired on the injected clock", async () => {
    const missing = await tokenOctokit(gh)
      .request("GET /repos/acme/shop")
      .catch((e: RequestError) => e);
    expect((missing as RequestError).status).toBe(401);
    expect((missing as RequestError).response?.data).toEqual({
      message: "Bad credentials",
      documentation_url: "https://docs.github.com/rest",
      status: "401",
    });
    const { token } = gh.createInstallationToken("acme");
    const octokit = tokenOctokit(gh, token);
    await expect(octokit.request("GET /repos/acme/shop")).resolves.toMatchObject({ status: 200 });
    clock.advance(3_600_001);
    const expired = await octokit.request("GET /repos/acme/shop").catch((e: RequestError) => e);
    expect((expired as RequestError).status).toBe(401);
  });

  it("lets @octokit/app recover when the fake's clock is far from the machine's (GitHub's skew messages)", async () => {
    clock.set(Date.now() + 2 * 3_600_000);
    const warnings: string[] = [];
    const { data } = await appFor(gh, warnings).octokit.request("GET /app");
    expect(data?.slug).toBe(gh.appSlug);
    expect(warnings.join("\n")).toMatch(/'Expiration time' claim \('exp'\) must be a numeric value/);
    const skew = Number(/different by (-?\d+) seconds/.exec(warnings.join("\n"))?.[1]);
    expect(Math.abs(skew - 7200)).toBeLessThanOrEqual(2);
    clock.set(Date.now());
  });

  it("hides the repositories of other installations (404, as GitHub)", async () => {
    clock.set(Date.now());
    const octokit = await installationOctokit(gh, "acme");
    const error = await octokit.request("GET /repos/other/lib").catch((e: RequestError) => e);
    expect((error as RequestError).status).toBe(404);
    const { data } = await octokit.request("GET /installation/repositories");
    expect(data.repositories.map((r) => r.full_name)).toEqual(["acme/shop"]);
  });

  it("enforces the permissions and repositories a token was minted with", async () => {
    clock.set(Date.now());
    const app = appFor(gh);
    const installation_id = gh.installationId("acme");
    const { data } = await app.octokit.request("POST /app/installations/{installation_id}/access_tokens", {
      installation_id,
      repositories: ["shop"],
      permissions: { contents: "read" },
    });
    expect(data.repository_selection).toBe("selected");
    expect(data.permissions).toEqual({ metadata: "read", contents: "read" });
    const octokit = tokenOctokit(gh, data.token);
    await expect(octokit.request("GET /repos/acme/shop/contents/README.md")).resolves.toMatchObject({ status: 200 });
    const denied = await octokit
      .request("POST /repos/acme/shop/git/blobs", { content: "x" })
      .catch((e: RequestError) => e);
    expect((denied as RequestError).status).toBe(403);
    expect((denied as RequestError).message).toContain("Resource not accessible by integration");
    expect((denied as RequestError).response?.headers["x-accepted-github-permissions"]).toBe("contents=write");
    const tooMuch = await app.octokit
      .request("POST /app/installations/{installation_id}/access_tokens", {
        installation_id,
        permissions: { administration: "write" },
      })
      .catch((e: RequestError) => e);
    expect((tooMuch as RequestError).status).toBe(422);
  });

  it("hides a repository the App was removed from, for lookups, REST and git alike", async () => {
    clock.set(Date.now());
    await gh.createRepository({ owner: "acme", name: "gone", files: { "a.txt": "a\n" } });
    const octokit = await installationOctokit(gh, "acme");
    await expect(octokit.request("GET /repos/acme/gone")).resolves.toMatchObject({ status: 200 });
    gh.setInstalled("acme/gone", false);
    const rest = await octokit.request("GET /repos/acme/gone").catch((e: RequestError) => e);
    expect((rest as RequestError).status).toBe(404);
    const lookup = await appFor(gh)
      .octokit.request("GET /repos/{owner}/{repo}/installation", { owner: "acme", repo: "gone" })
      .catch((e: RequestError) => e);
    expect((lookup as RequestError).status).toBe(404);
  });
});
