import { createRemoteJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeGitHub, startFakeGitHub } from "../../src/github/index.js";

describe("fake GitHub as the Actions OIDC issuer", () => {
  let gh: FakeGitHub;

  beforeAll(async () => {
    gh = await startFakeGitHub({ oidcAudience: "fixfleet" });
    await gh.createRepository({ owner: "acme", name: "shop", files: { "a.txt": "a\n" } });
  });
  afterAll(() => gh.stop());

  it("serves discovery and JWKS on its own host, and jose verifies a minted token through them", async () => {
    const discovery = (await (await fetch(`${gh.oidcIssuerUrl}/.well-known/openid-configuration`)).json()) as {
      issuer: string;
      jwks_uri: string;
    };
    expect(discovery.issuer).toBe(gh.oidcIssuerUrl);
    expect(gh.oidcIssuerUrl).toBe(gh.url);
    expect(discovery.jwks_uri.startsWith(gh.url)).toBe(true);
    const token = await gh.mintActionsToken({ repository: "acme/shop", ref: "refs/heads/feature-x" });
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(discovery.jwks_uri)), {
      issuer: discovery.issuer,
      audience: "fixfleet",
      algorithms: ["RS256"],
    });
    const repo = (await (
      await fetch(`${gh.url}/repos/acme/shop`, {
        headers: { authorization: `token ${gh.createInstallationToken("acme").token}` },
      })
    ).json()) as { id: number; owner: { id: number } };
    expect(payload).toMatchObject({
      repository: "acme/shop",
      repository_id: String(repo.id),
      repository_owner_id: String(repo.owner.id),
      ref: "refs/heads/feature-x",
    });
  });

  it("answers unknown paths under the issuer with GitHub's 404", async () => {
    const response = await fetch(`${gh.oidcIssuerUrl}/.well-known/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ message: "Not Found" });
  });
});
