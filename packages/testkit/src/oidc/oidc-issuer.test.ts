import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOidcIssuer } from "./oidc-issuer.js";
import { type RunningOidcIssuer, startOidcIssuer } from "./start-oidc-issuer.js";

let issuer: RunningOidcIssuer;
beforeAll(async () => {
  issuer = await startOidcIssuer();
});
afterAll(async () => {
  await issuer.close();
});

async function discoveredKeys(iss: string) {
  const discovery = (await (await fetch(`${iss}/.well-known/openid-configuration`)).json()) as {
    issuer: string;
    jwks_uri: string;
  };
  expect(discovery.issuer).toBe(iss);
  return createRemoteJWKSet(new URL(discovery.jwks_uri), { cooldownDuration: 0 });
}

describe("fake GitHub Actions OIDC issuer", () => {
  it("mints a token jose verifies through the discovery document, with GitHub's claims", async () => {
    const token = await issuer.mintToken({ repository: "octo-org/octo-repo", run_id: "42", event_name: "push" });
    const { payload, protectedHeader } = await jwtVerify(token, await discoveredKeys(issuer.url), {
      issuer: issuer.url,
      audience: "fixfleet",
    });
    expect(protectedHeader).toMatchObject({ alg: "RS256", typ: "JWT", kid: issuer.currentKid() });
    expect(payload).toMatchObject({
      iss: issuer.url,
      aud: "fixfleet",
      sub: "repo:octo-org/octo-repo:ref:refs/heads/main",
      repository: "octo-org/octo-repo",
      repository_owner: "octo-org",
      repository_id: expect.stringMatching(/^\d+$/),
      run_id: "42",
      run_attempt: "1",
      event_name: "push",
      job_workflow_ref: "octo-org/octo-repo/.github/workflows/ci.yml@refs/heads/main",
    });
    expect(payload.exp! - payload.iat!).toBe(300);
    expect(payload.nbf).toBe(payload.iat);
  });

  it("rotates keys: tokens of the new key verify after a JWKS refetch; a dropped key no longer does", async () => {
    const keys = await discoveredKeys(issuer.url);
    const old = await issuer.mintToken({ repository: "o/r" });
    await jwtVerify(old, keys);
    const kid = await issuer.rotateKey();
    const fresh = await issuer.mintToken({ repository: "o/r" });
    expect(decodeProtectedHeader(fresh).kid).toBe(kid);
    await jwtVerify(fresh, keys);
    await jwtVerify(old, keys);
    await issuer.rotateKey({ dropOld: true });
    await new Promise((r) => setTimeout(r, 5));
    await expect(jwtVerify(old, await discoveredKeys(issuer.url))).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
  });

  it("signs with an unpublished key on request, an unknown kid to verifiers", async () => {
    const token = await issuer.mintToken({ repository: "o/r" }, { unpublishedKey: true });
    await expect(jwtVerify(token, await discoveredKeys(issuer.url))).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
  });

  it("mounts in another server: handle() answers under the issuer's path and passes on anything else", async () => {
    const mounted = await createOidcIssuer({ issuer: "http://127.0.0.1:9/oidc" });
    const discovery = await mounted.handle(new Request("http://127.0.0.1:9/oidc/.well-known/openid-configuration"));
    expect(await discovery?.json()).toMatchObject({
      issuer: "http://127.0.0.1:9/oidc",
      jwks_uri: "http://127.0.0.1:9/oidc/.well-known/jwks",
    });
    const jwks = (await (await mounted.handle(new Request("http://127.0.0.1:9/oidc/.well-known/jwks")))?.json()) as {
      keys: { kid: string; kty: string }[];
    };
    expect(jwks.keys).toEqual([
      expect.objectContaining({ kid: mounted.currentKid(), kty: "RSA", alg: "RS256", use: "sig" }),
    ]);
    expect(await mounted.handle(new Request("http://127.0.0.1:9/repos/o/r"))).toBeUndefined();
    expect(mounted.fetches).toEqual({ discovery: 1, jwks: 1 });
  });
});
