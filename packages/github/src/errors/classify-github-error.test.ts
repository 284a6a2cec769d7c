import { PermanentError, TransientError } from "@fixfleet/shared";
import { RequestError } from "@octokit/request-error";
import { describe, expect, it } from "vitest";
import { classifyGitHubError } from "./classify-github-error.js";

function requestError(
  status: number,
  data: unknown,
  headers: Record<string, string> = {},
  method = "GET",
  url = "https://api.github.com/repos/acme/shop",
) {
  return new RequestError(`${(data as { message?: string }).message ?? "x"} - https://docs.github.com/rest`, status, {
    request: { method: method as "GET", url, headers: { authorization: "token ghs_secretsecretsecretsecret" } },
    response: { status, url, headers, data },
  });
}

describe("classifyGitHubError", () => {
  it("calls a 404 permanent and says what may have happened", () => {
    const e = classifyGitHubError(requestError(404, { message: "Not Found" }), "reading acme/shop");
    expect(e).toBeInstanceOf(PermanentError);
    expect(e.code).toBe("github_not_found");
    expect(e.reason).toBe(
      "reading acme/shop: not found: GET /repos/acme/shop (404); the repository may be gone or renamed, the object deleted, or the App no longer installed on it",
    );
  });

  it("calls a 403 without rate limit a missing permission and names the permission", () => {
    const e = classifyGitHubError(
      requestError(
        403,
        { message: "Resource not accessible by integration" },
        {},
        "POST",
        "https://api.github.com/repos/acme/shop/git/blobs",
      ),
    );
    expect(e).toBeInstanceOf(PermanentError);
    expect(e.reason).toContain(
      "the GitHub App lacks permission for POST /repos/acme/shop/git/blobs (403 Resource not accessible by integration)",
    );
    expect(e.reason).toContain('"Contents: read and write"');
  });

  it("calls rate limits transient with the wait GitHub asked for", () => {
    const secondary = classifyGitHubError(
      requestError(403, { message: "You have exceeded a secondary rate limit." }, { "retry-after": "30" }),
    );
    expect(secondary).toBeInstanceOf(TransientError);
    expect((secondary as TransientError).retryAfterMs).toBe(30_000);
    expect(secondary.code).toBe("github_secondary_rate_limit");
    const reset = String(Math.floor(Date.now() / 1000) + 120);
    const primary = classifyGitHubError(
      requestError(
        403,
        { message: "API rate limit exceeded" },
        { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset },
      ),
    ) as TransientError;
    expect(primary.kind).toBe("transient");
    expect(primary.retryAfterMs).toBeGreaterThan(100_000);
    expect(primary.retryAfterMs).toBeLessThanOrEqual(122_000);
  });

  it("calls 5xx transient and 422 permanent with GitHub's field errors", () => {
    expect(classifyGitHubError(requestError(502, { message: "Bad Gateway" })).kind).toBe("transient");
    const e = classifyGitHubError(
      requestError(422, {
        message: "Validation Failed",
        errors: [{ resource: "Ref", code: "custom", message: "Reference already exists" }],
      }),
    );
    expect(e.kind).toBe("permanent");
    expect(e.reason).toContain("(422 Validation Failed: Reference already exists)");
  });

  it("never repeats the token of the failed request", () => {
    const e = classifyGitHubError(requestError(401, { message: "Bad credentials" }));
    expect(e.reason).not.toContain("ghs_");
    expect(e.reason).toContain("check GITHUB_APP_ID and the private key");
  });

  it("classifies network errors through the shared taxonomy", () => {
    const err = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    const e = classifyGitHubError(err, "listing jobs");
    expect(e.kind).toBe("transient");
    expect(e.reason).toMatch(/^listing jobs: network error \(ECONNREFUSED\)/);
  });
});
