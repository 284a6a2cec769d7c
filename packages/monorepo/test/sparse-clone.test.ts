import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { discoverWorkspace } from "../src/discovery/discover-workspace.js";
import { mapBatch } from "../src/mapping/map-batch.js";
import { buildScope } from "../src/scope/build-scope.js";
import { decideSparseCheckout, type SparsePlan, sparseCheckoutPlan, trimGoWork } from "../src/sparse/sparse-plan.js";
import { makeFixtureRepo } from "./fixture-repo.js";
import { bareRepositoryOf, run, sparseClone } from "./git.js";

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

/**
 * Builds the fixture, maps a failure in `web`, clones the plan's directories sparsely over
 * file://, and runs the inferred verify command in the sparse clone with the real toolchain.
 */
async function sparseRun(files: Record<string, string | object>, failure: { job: string; log?: string }) {
  const repo = await makeFixtureRepo(files);
  cleanups.push(repo.remove);
  const workspace = await discoverWorkspace(repo.reader);
  const mapping = mapBatch({ workspace, failures: [failure] });
  const scope = buildScope({ workspace, mapping, failures: [failure] });
  const plan = await sparseCheckoutPlan({ workspace, scope, reader: repo.reader });
  const bare = await bareRepositoryOf(repo.root);
  cleanups.push(bare.remove);
  const parent = await mkdtemp(path.join(tmpdir(), "fixfleet-sparse-"));
  cleanups.push(() => rm(parent, { recursive: true, force: true }));
  const clone = path.join(parent, "clone");
  await sparseClone(bare.url, clone, plan.dirs);
  const env = await materialize(clone, plan);
  const verify = scope.verify[0]!;
  const result = await run("sh", ["-c", verify.command], path.join(clone, verify.cwd), env);
  return { workspace, plan, clone, verify, result, env };
}

async function materialize(clone: string, plan: SparsePlan): Promise<Record<string, string>> {
  for (const file of plan.generatedFiles) {
    await mkdir(path.dirname(path.join(clone, file.path)), { recursive: true });
    await writeFile(path.join(clone, file.path), file.content);
  }
  return Object.fromEntries(Object.entries(plan.env).map(([k, v]) => [k, path.join(clone, v)]));
}

describe("a sparse clone of the plan runs the verify command", () => {
  it("npm workspaces: web and the shared package it depends on, plus the tsconfig it extends", async () => {
    const test = "console.log('ok ' + require('./package.json').name)\n";
    const { plan, clone, result, verify } = await sparseRun(
      {
        "package.json": { private: true, workspaces: ["packages/*"] },
        "tsconfig.base.json": "{}",
        "config/tsconfig/base.json": '{ "extends": "../../tsconfig.base.json" }',
        "packages/web/package.json": {
          name: "@acme/web",
          scripts: { test: "node test.js" },
          dependencies: { "@acme/shared": "*" },
        },
        "packages/web/tsconfig.json": '{\n  // shared settings\n  "extends": "../../config/tsconfig/base.json",\n}\n',
        "packages/web/test.js": test,
        "packages/shared/package.json": { name: "@acme/shared", scripts: { test: "node test.js" } },
        "packages/shared/test.js": test,
        "packages/api/package.json": { name: "@acme/api", scripts: { test: "node test.js" } },
        "packages/api/test.js": test,
      },
      { job: "test (packages/web)" },
    );
    expect(plan.dirs).toEqual(["config/tsconfig", "packages/shared", "packages/web"]);
    expect(existsSync(path.join(clone, "packages/api"))).toBe(false);
    expect(existsSync(path.join(clone, "tsconfig.base.json"))).toBe(true);
    expect(verify.command).toBe("npm test -w @acme/web");
    expect(result.stdout).toContain("ok @acme/web");
    expect(result.code).toBe(0);
  });

  it("go.work: a trimmed go.work (GOWORK) makes go test work without the modules left out", async () => {
    const files = {
      "go.work": "go 1.18\n\nuse (\n\t./services/web\n\t./services/api\n\t./libs/shared\n)\n",
      "services/web/go.mod": "module example.com/acme/web\n\ngo 1.18\n\nrequire example.com/acme/shared v0.0.0\n",
      "services/web/web.go":
        'package web\n\nimport "example.com/acme/shared"\n\nfunc Greeting() string { return shared.Upper("hi") }\n',
      "services/web/web_test.go":
        'package web\n\nimport "testing"\n\nfunc TestGreeting(t *testing.T) {\n\tif Greeting() != "HI" {\n\t\tt.Fatal(Greeting())\n\t}\n}\n',
      "services/api/go.mod": "module example.com/acme/api\n\ngo 1.18\n",
      "services/api/api.go": "package api\n",
      "libs/shared/go.mod": "module example.com/acme/shared\n\ngo 1.18\n",
      "libs/shared/shared.go":
        'package shared\n\nimport "strings"\n\nfunc Upper(s string) string { return strings.ToUpper(s) }\n',
    };
    const goEnv = { GOPROXY: "off", GOFLAGS: "", GOTOOLCHAIN: "local" };
    const { plan, clone, result, verify, env } = await sparseRun(files, {
      job: "go test",
      log: "--- FAIL: TestGreeting\nFAIL\texample.com/acme/web\t0.01s",
    });
    expect(plan.dirs).toEqual(["libs/shared", "services/web"]);
    expect(existsSync(path.join(clone, "services/api"))).toBe(false);
    expect(verify.command).toBe("go test ./services/web/...");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    // The repository's own go.work names a module that is not there: go refuses it.
    const withoutPlan = await run("sh", ["-c", verify.command], clone, { ...goEnv, GOWORK: "" });
    expect(withoutPlan.code).not.toBe(0);
    expect(env.GOWORK).toBe(path.join(clone, ".git/fixfleet/go.work"));
  }, 120_000);

  it("Cargo workspace: cargo test -p web builds with shared and without api", async () => {
    const crate = (name: string, deps = "") =>
      `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n${deps}`;
    const { plan, clone, result, verify } = await sparseRun(
      {
        "Cargo.toml": '[workspace]\nresolver = "2"\nmembers = ["crates/*"]\n',
        "crates/web/Cargo.toml": crate("web", 'shared = { path = "../shared" }\n'),
        "crates/web/src/lib.rs": '#[test]\nfn greets() { assert_eq!(shared::upper("hi"), "HI"); }\n',
        "crates/shared/Cargo.toml": crate("shared"),
        "crates/shared/src/lib.rs": "pub fn upper(s: &str) -> String { s.to_uppercase() }\n",
        "crates/api/Cargo.toml": crate("api"),
        "crates/api/src/lib.rs": "",
      },
      { job: "test", log: "error: could not compile `web` (lib test)" },
    );
    expect(plan.dirs).toEqual(["crates/shared", "crates/web"]);
    expect(existsSync(path.join(clone, "crates/api"))).toBe(false);
    expect(verify.command).toBe("cargo test -p web");
    expect(result.stderr).toContain("Running unittests");
    expect(result.code).toBe(0);
  }, 180_000);

  it("uv workspace: pytest runs the web package's tests", async () => {
    const { plan, clone, result, verify } = await sparseRun(
      {
        "pyproject.toml": '[tool.uv.workspace]\nmembers = ["packages/*"]\n',
        "packages/web/pyproject.toml":
          '[project]\nname = "web"\ndependencies = ["shared"]\n\n[tool.uv.sources]\nshared = { workspace = true }\n',
        "packages/web/tests/test_web.py": "def test_web():\n    assert 'hi'.upper() == 'HI'\n",
        "packages/shared/pyproject.toml": '[project]\nname = "shared"\n',
        "packages/api/pyproject.toml": '[project]\nname = "api"\n',
        "packages/api/tests/test_api.py": "def test_api():\n    assert False\n",
      },
      { job: "pytest", log: "FAILED packages/web/tests/test_web.py::test_web" },
    );
    expect(plan.dirs).toEqual(["packages/shared", "packages/web"]);
    expect(existsSync(path.join(clone, "packages/api"))).toBe(false);
    expect(verify.command).toBe("pytest packages/web");
    expect(result.stdout).toContain("1 passed");
    expect(result.code).toBe(0);
  }, 60_000);
});

describe("sparseCheckoutPlan", () => {
  it("checks out everything when the scope is the repository root", async () => {
    const repo = await makeFixtureRepo({ "package.json": { name: "app" }, "src/a.js": "" });
    cleanups.push(repo.remove);
    const workspace = await discoverWorkspace(repo.reader);
    const mapping = mapBatch({ workspace, failures: [{ job: "test" }] });
    const plan = await sparseCheckoutPlan({ workspace, scope: buildScope({ workspace, mapping }) });
    expect(plan.dirs).toEqual([]);
    expect(plan.notes).toEqual(["The scope includes the repository root, so the whole tree is checked out."]);
  });

  it("trimGoWork keeps toolchain and replace directives, re-rooting relative replacements", () => {
    const original =
      "go 1.22\ntoolchain go1.22.3\n\nuse ./a // first\nuse (\n  ./b\n  ./c\n)\n\nreplace example.com/x => ./third_party/x\n";
    expect(trimGoWork(original, ["b"])).toBe(
      "go 1.22\ntoolchain go1.22.3\n\n\nreplace example.com/x => ../../third_party/x\n\nuse (\n\t../../b\n)\n",
    );
  });
});

describe("decideSparseCheckout", () => {
  it("follows the config, else the size or file-count thresholds", () => {
    expect(decideSparseCheckout({ sizeKb: 10 }, { enabled: "always" })).toEqual({
      sparse: true,
      reason: "sparse_checkout.enabled is always",
    });
    expect(decideSparseCheckout({ sizeKb: 10 ** 9 }, { enabled: "never" }).sparse).toBe(false);
    expect(decideSparseCheckout({ sizeKb: 600 * 1024 })).toEqual({
      sparse: true,
      reason: "the repository is 600 MiB, over the 500 MiB threshold",
    });
    expect(decideSparseCheckout({ sizeKb: 100, fileCount: 60_000 }, { threshold_files: 50_000 }).sparse).toBe(true);
    expect(decideSparseCheckout({ sizeKb: 100 }, { threshold_mb: 1 })).toEqual({
      sparse: false,
      reason: "the repository is under the sparse checkout thresholds",
    });
    expect(decideSparseCheckout({})).toEqual({ sparse: false, reason: "the repository's size is unknown" });
  });
});
