import { describe, expect, it } from "vitest";
import { parseRepoConfig } from "./parse-repo-config.js";
import { RepoConfigError } from "./repo-config-error.js";
import { DEFAULT_REPO_CONFIG, protectedPaths } from "./repo-config-schema.js";

function problemsOf(text: string) {
  try {
    parseRepoConfig(text);
  } catch (error) {
    expect(error).toBeInstanceOf(RepoConfigError);
    return (error as RepoConfigError).problems;
  }
  throw new Error("expected the config to be refused");
}

describe("parseRepoConfig", () => {
  it("gives the defaults when the file is absent or empty", () => {
    expect(parseRepoConfig(undefined)).toEqual(DEFAULT_REPO_CONFIG);
    expect(parseRepoConfig("# nothing yet\n")).toEqual(DEFAULT_REPO_CONFIG);
    expect(DEFAULT_REPO_CONFIG).toMatchObject({
      enabled: true,
      mode: "branch",
      limits: { files: 10, lines: 400, turns: 40, tokens: 1_500_000, minutes: 30 },
      sandbox: { cpus: 2, memory_mb: 4096, pids: 1024 },
    });
    expect(protectedPaths(DEFAULT_REPO_CONFIG)).toEqual([".github/workflows/**"]);
  });

  it("reads a full config and fills what it leaves out", () => {
    const config = parseRepoConfig(`
enabled: true
mode: pull_request
scopes:
  - name: web
    paths: ["packages/web/**"]
    verify: npm test -w @acme/web
protected: ["infra/**"]
limits:
  turns: 12
sandbox:
  image: acme/ci-node:20
  memory_mb: 8192
`);
    expect(config.mode).toBe("pull_request");
    expect(config.scopes?.[0]?.verify).toBe("npm test -w @acme/web");
    expect(config.limits).toEqual({ files: 10, lines: 400, turns: 12, tokens: 1_500_000, minutes: 30 });
    expect(config.sandbox).toEqual({ image: "acme/ci-node:20", cpus: 2, memory_mb: 8192, pids: 1024 });
    expect(protectedPaths(config)).toEqual([".github/workflows/**", "infra/**"]);
  });

  it("names a bad value with its key, line and column", () => {
    const problems = problemsOf("enabled: true\nlimits:\n  files: 5\n  turns: lots\n");
    expect(problems).toEqual([{ key: "limits.turns", line: 4, column: 10, message: "must be a number (model turns)" }]);
  });

  it("names an unknown key where it is written", () => {
    const problems = problemsOf("mode: branch\nsandbox:\n  imagee: node:20\n");
    expect(problems).toEqual([{ key: "sandbox.imagee", line: 3, column: 3, message: "is not a setting of `sandbox`" }]);
  });

  it("names a bad mode and a bad scope entry in the same error", () => {
    let error: RepoConfigError | undefined;
    try {
      parseRepoConfig("mode: yolo\nscopes:\n  - name: api\n    paths: []\n");
    } catch (e) {
      error = e as RepoConfigError;
    }
    expect(error?.problems.map((p) => [p.key, p.line])).toEqual([
      ["mode", 1],
      ["scopes.0.paths", 4],
    ]);
    expect(error?.reason).toContain('line 1, column 7: `mode` must be one of "branch", "pull_request", "push"');
    expect(error?.kind).toBe("permanent");
  });

  it("locates YAML syntax errors", () => {
    const problems = problemsOf("mode: branch\nlimits:\n  files: [1, 2\n");
    expect(problems[0]).toMatchObject({ key: "", line: expect.any(Number) });
    expect(problems[0]!.message).toMatch(/^is not valid YAML/);
  });

  it("refuses a file that is not a mapping", () => {
    expect(problemsOf("- mode\n- branch\n")[0]!.message).toContain("must be a mapping");
  });
});
