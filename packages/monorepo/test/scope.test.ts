import { beforeAll, describe, expect, it } from "vitest";
import { monorepoConfigSchema } from "../src/config/monorepo-config.js";
import { discoverWorkspace } from "../src/discovery/discover-workspace.js";
import { mapBatch } from "../src/mapping/map-batch.js";
import { createMemoryReader } from "../src/reader/memory-reader.js";
import { buildScope } from "../src/scope/build-scope.js";
import { checkDiff, isWritable } from "../src/scope/is-writable.js";
import type { Workspace } from "../src/types.js";

let workspace: Workspace;
beforeAll(async () => {
  workspace = await discoverWorkspace(
    createMemoryReader({
      "package.json": JSON.stringify({ workspaces: ["packages/*", "packages/web/plugins/*"] }),
      "package-lock.json": "{}",
      "tsconfig.base.json": "{}",
      "README.md": "",
      ".github/workflows/ci.yml": "on: push",
      "packages/web/package.json": JSON.stringify({ name: "web", scripts: { test: "vitest" } }),
      "packages/web/plugins/seo/package.json": JSON.stringify({ name: "web-seo" }),
      "packages/api/package.json": JSON.stringify({ name: "api", scripts: { test: "vitest" } }),
    }),
  );
});

const scopeFor = (config = {}) => {
  const failures = [{ job: "test (packages/web)" }];
  return buildScope({ workspace, mapping: mapBatch({ workspace, failures }), failures, config });
};

describe("isWritable", () => {
  it("allows the failing package and refuses another one, saying what is in scope", () => {
    const scope = scopeFor();
    expect(isWritable(scope, "packages/web/src/app.ts")).toEqual({ writable: true });
    expect(isWritable(scope, "./packages/web/package.json")).toEqual({ writable: true });
    expect(isWritable(scope, "packages/api/src/server.ts")).toEqual({
      writable: false,
      reason:
        "`packages/api/src/server.ts` is outside this fix's scope, which is web (packages/web); the failure was not traced to the package that holds it",
    });
  });

  it("refuses a package nested inside the chosen one", () => {
    expect(isWritable(scopeFor(), "packages/web/plugins/seo/index.ts").writable).toBe(false);
  });

  it("protects .github/workflows by default, and config adds to the list without removing the default", () => {
    const scope = scopeFor({ protected: ["packages/web/generated/**"] });
    expect(isWritable(scope, ".github/workflows/ci.yml")).toEqual({
      writable: false,
      reason: "`.github/workflows/ci.yml` is protected (`.github/workflows/**`); fixfleet never edits it",
    });
    expect(isWritable(scope, "packages/web/generated/api.ts").writable).toBe(false);
  });

  it("keeps root toolchain files read-only unless config allows them", () => {
    expect(isWritable(scopeFor(), "package-lock.json")).toEqual({
      writable: false,
      reason:
        "`package-lock.json` is a workspace-level file (manifest, lockfile or shared config), read-only for this fix; a repository can allow it with `allow_root_files` in .github/fixfleet.yml",
    });
    expect(isWritable(scopeFor(), "README.md").writable).toBe(false);
    expect(isWritable(scopeFor({ allow_root_files: ["package-lock.json"] }), "package-lock.json")).toEqual({
      writable: true,
    });
    expect(isWritable(scopeFor({ allow_root_files: ["package-lock.json"] }), "tsconfig.base.json").writable).toBe(
      false,
    );
    expect(isWritable(scopeFor({ allow_root_files: true }), "tsconfig.base.json")).toEqual({ writable: true });
    // Protected wins over allowed.
    expect(isWritable(scopeFor({ allow_root_files: true, protected: ["package.json"] }), "package.json").writable).toBe(
      false,
    );
  });

  it("refuses paths that leave the repository or touch .git", () => {
    const scope = scopeFor();
    for (const p of ["../etc/passwd", "/etc/passwd", "packages/web/../../x", ".git/config", "", "C:/x"]) {
      expect(isWritable(scope, p).writable, p).toBe(false);
    }
  });

  it("checkDiff lists every refused path with its reason", () => {
    const result = checkDiff(scopeFor(), ["packages/web/a.ts", "packages/api/b.ts", ".github/workflows/x.yml"]);
    expect(result.ok).toBe(false);
    expect(result.refused.map((r) => r.path)).toEqual(["packages/api/b.ts", ".github/workflows/x.yml"]);
    expect(checkDiff(scopeFor(), ["packages/web/a.ts"])).toEqual({ ok: true, refused: [] });
  });

  it("survives a JSON round trip (the scope travels in a job)", () => {
    const scope = JSON.parse(JSON.stringify(scopeFor()));
    expect(isWritable(scope, "packages/web/a.ts")).toEqual({ writable: true });
    expect(isWritable(scope, "packages/api/a.ts").writable).toBe(false);
  });
});

describe("verify commands", () => {
  it("say why there is none when a package has no test script and no report gave a command", () => {
    const failures = [{ job: "lint", paths: ["packages/web/plugins/seo"] }];
    const scope = buildScope({ workspace, mapping: mapBatch({ workspace, failures }), failures });
    expect(scope.units[0]!.verify).toEqual([]);
    expect(scope.units[0]!.verifyNote).toBe(
      'packages/web/plugins/seo/package.json has no "test" script and no report gave a command; add `verify` for it in .github/fixfleet.yml.',
    );
  });

  it("the config's working_directory", () => {
    const config = {
      scopes: [{ name: "web", paths: ["packages/web/**"], verify: "make test", working_directory: "packages/web" }],
    };
    const failures = [{ job: "t", paths: ["packages/web"] }];
    const scope = buildScope({ workspace, mapping: mapBatch({ workspace, failures, config }), failures, config });
    expect(scope.verify).toEqual([{ command: "make test", cwd: "packages/web", source: "config", unit: "scope:web" }]);
  });
});

describe("monorepoConfigSchema", () => {
  it("accepts the documented example", () => {
    const parsed = monorepoConfigSchema.parse({
      scopes: [{ name: "web", paths: ["packages/web/**", "packages/ui/**"], verify: ["npm test -w @acme/web"] }],
      protected: [".github/workflows/**", "infra/**"],
      allow_root_files: ["package-lock.json"],
      sparse_checkout: { enabled: "auto", threshold_mb: 500 },
    });
    expect(parsed.sparse_checkout).toEqual({ enabled: "auto", threshold_mb: 500, threshold_files: 50_000 });
  });

  it("names the wrong key", () => {
    const result = monorepoConfigSchema.safeParse({
      scopes: [{ paths: ["../x/**"], verfy: "x" }, { paths: [] }],
      protected: ["a/[b"],
    });
    expect(result.success).toBe(false);
    const issues = result.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(issues).toEqual(
      expect.arrayContaining([
        "scopes.0.paths.0: must be a path inside the repository",
        "scopes.1.paths: must list at least one path glob",
      ]),
    );
    expect(issues.some((i) => i.startsWith("scopes.0") && i.includes("verfy"))).toBe(true);
  });
});
