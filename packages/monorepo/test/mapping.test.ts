import { beforeAll, describe, expect, it } from "vitest";
import { discoverWorkspace } from "../src/discovery/discover-workspace.js";
import { extractLogPaths } from "../src/mapping/log-paths.js";
import { mapBatch } from "../src/mapping/map-batch.js";
import { renderMappingMarkdown } from "../src/mapping/render-mapping.js";
import { createMemoryReader } from "../src/reader/memory-reader.js";
import { buildScope } from "../src/scope/build-scope.js";
import type { Workspace } from "../src/types.js";

const pkg = (name: string, deps: Record<string, string> = {}) =>
  JSON.stringify({ name, scripts: { test: "vitest" }, dependencies: deps });

let workspace: Workspace;
beforeAll(async () => {
  workspace = await discoverWorkspace(
    createMemoryReader({
      "package.json": JSON.stringify({ workspaces: ["packages/*", "apps/*"] }),
      "apps/web/package.json": pkg("@acme/web", { "@acme/ui": "*" }),
      "packages/ui/package.json": pkg("@acme/ui", { "@acme/shared": "*" }),
      "packages/shared/package.json": pkg("@acme/shared"),
      "packages/api/package.json": pkg("@acme/api", { "@acme/shared": "*" }),
      "packages/docs/package.json": pkg("docs"),
    }),
  );
});

const picked = (mapping: ReturnType<typeof mapBatch>) => mapping.units.map((u) => `${u.name}:${u.role}`);

describe("signals of a failure", () => {
  it("the report's paths narrow the scope even when the log mentions other packages", () => {
    const mapping = mapBatch({
      workspace,
      failures: [
        { job: "test", paths: ["packages/api/src"], log: "at apps/web/src/a.ts:3\nat packages/api/src/b.ts:9" },
      ],
    });
    expect(picked(mapping)).toEqual(["@acme/api:failing"]);
    expect(mapping.units[0]!.evidence.map((e) => e.signal)).toEqual(["report-paths", "log-path"]);
  });

  it("the job's working directory", () => {
    const mapping = mapBatch({ workspace, failures: [{ job: "unit", workingDirectory: "./packages/ui" }] });
    expect(picked(mapping)).toEqual(["@acme/ui:failing"]);
    expect(mapping.units[0]!.evidence).toEqual([
      { signal: "working-directory", detail: 'job "unit" runs in packages/ui', job: "unit" },
    ]);
  });

  it("the job name, by package name or directory, and the command", () => {
    expect(picked(mapBatch({ workspace, failures: [{ job: "test (@acme/shared)" }] }))).toEqual([
      "@acme/shared:failing",
    ]);
    expect(picked(mapBatch({ workspace, failures: [{ job: "test [apps/web, node 20]" }] }))).toEqual([
      "@acme/web:failing",
    ]);
    const byCommand = mapBatch({
      workspace,
      failures: [{ job: "test", command: "npm test --workspace=packages/ui -- --run" }],
    });
    expect(picked(byCommand)).toEqual(["@acme/ui:failing"]);
    expect(byCommand.units[0]!.evidence[0]!.signal).toBe("command");
  });

  it("absolute runner paths in the log, ignoring node_modules and URLs", () => {
    const log = [
      "Error: expected 200",
      "    at Object.<anonymous> (/home/runner/work/acme/acme/packages/ui/src/button.test.tsx:14:7)",
      "    at /home/runner/work/acme/acme/node_modules/@acme/shared/dist/index.js:1:1",
      "see https://github.com/acme/acme/blob/main/packages/docs/README.md",
    ].join("\n");
    const mapping = mapBatch({ workspace, failures: [{ job: "test", log }] });
    expect(picked(mapping)).toEqual(["@acme/ui:failing"]);
    expect(mapping.units[0]!.evidence[0]!.detail).toBe(
      'the log of job "test" mentions `home/runner/work/acme/acme/packages/ui/src/button.test.tsx`',
    );
  });

  it("a scoped package name in the log when no path names it", () => {
    const mapping = mapBatch({
      workspace,
      failures: [{ job: "ci", log: "npm error workspace @acme/api@1.0.0\nnpm error command failed" }],
    });
    expect(picked(mapping)).toEqual(["@acme/api:failing"]);
    expect(mapping.units[0]!.evidence[0]).toMatchObject({ signal: "log-name" });
  });

  it("three failing jobs of one commit: one mapping with each job's evidence", () => {
    const mapping = mapBatch({
      workspace,
      failures: [
        { job: "test (apps/web)" },
        { job: "lint", log: "packages/api/src/x.ts:1:1 error no-unused-vars" },
        { job: "test (apps/web) node 22" },
      ],
    });
    expect(picked(mapping)).toEqual(["@acme/api:failing", "@acme/web:failing"]);
    const web = mapping.units.find((u) => u.name === "@acme/web")!;
    expect(web.failures).toEqual([0, 2]);
    expect(web.evidence.map((e) => e.job)).toEqual(["test (apps/web)", "test (apps/web) node 22"]);
  });
});

describe("changed files and dependencies", () => {
  it("widens along the dependency chain to the changed package, naming the chain", () => {
    const mapping = mapBatch({
      workspace,
      failures: [{ job: "test (apps/web)" }],
      changedFiles: ["packages/shared/src/date.ts", "packages/shared/src/time.ts", "packages/docs/intro.md"],
    });
    expect(picked(mapping)).toEqual(["@acme/web:failing", "@acme/shared:dependency"]);
    expect(mapping.units[1]!.evidence).toEqual([
      {
        signal: "dependency",
        detail:
          "@acme/web depends on @acme/shared (@acme/web → @acme/ui → @acme/shared), which this PR changes (`packages/shared/src/date.ts`, `packages/shared/src/time.ts`)",
      },
    ]);
  });

  it("a changed package that the failing one does not depend on stays out", () => {
    const mapping = mapBatch({
      workspace,
      failures: [{ job: "test (packages/api)" }],
      changedFiles: ["apps/web/src/page.tsx"],
    });
    expect(picked(mapping)).toEqual(["@acme/api:failing"]);
  });

  it("the failing package's own changes are added to its evidence", () => {
    const mapping = mapBatch({
      workspace,
      failures: [{ job: "test (packages/api)" }],
      changedFiles: ["packages/api/a.ts"],
    });
    expect(mapping.units[0]!.evidence.map((e) => e.signal)).toEqual(["job-name", "changed-files"]);
  });

  it("no failure names a package: the changed packages, with a warning", () => {
    const mapping = mapBatch({ workspace, failures: [{ job: "build" }], changedFiles: ["packages/ui/a.ts"] });
    expect(picked(mapping)).toEqual(["@acme/ui:changed"]);
    expect(mapping.warnings).toEqual([
      "No failure named a package; the scope is the packages this pull request changes.",
    ]);
    expect(mapping.unmatched).toEqual(['nothing in job "build" (name, command, log) names a package.']);
  });

  it("nothing names a package: the whole repository, said plainly", () => {
    const mapping = mapBatch({ workspace, failures: [{ job: "build", paths: ["scripts/release.sh"] }] });
    expect(mapping.units).toMatchObject([{ id: "repository", dirs: ["."], role: "fallback" }]);
    expect(mapping.unmatched).toEqual([
      'job "build" lists path "scripts/release.sh", which is in no package.',
      'nothing in job "build" (name, command, log) names a package.',
    ]);
    expect(mapping.warnings).toEqual(["Nothing in the batch named a package; the scope is the whole repository."]);
  });
});

describe("config scopes", () => {
  const config = {
    scopes: [
      { name: "frontend", paths: ["apps/web/**", "packages/ui/**"], verify: ["npm run test:frontend"] },
      { name: "backend", paths: ["packages/api/**", "packages/shared/**"] },
    ],
  };

  it("replace discovery: a failure maps to the scope, verified by its own command", () => {
    const failures = [{ job: "test", log: "FAIL packages/ui/src/a.test.ts" }];
    const mapping = mapBatch({ workspace, failures, config });
    expect(picked(mapping)).toEqual(["frontend:failing"]);
    expect(mapping.units[0]!.evidence.map((e) => e.signal)).toEqual(["config-scope", "log-path"]);
    const scope = buildScope({ workspace, mapping, failures, config });
    expect(scope.verify).toEqual([
      { command: "npm run test:frontend", cwd: ".", source: "config", unit: "scope:frontend" },
    ]);
  });

  it("depend on each other through the packages inside them", () => {
    const mapping = mapBatch({
      workspace,
      failures: [{ job: "test (apps/web)" }],
      changedFiles: ["packages/shared/x.ts"],
      config,
    });
    expect(picked(mapping)).toEqual(["frontend:failing", "backend:dependency"]);
  });
});

describe("rendering for the PR comment", () => {
  it("a table of units with each piece of evidence, escaped for Markdown", () => {
    const mapping = mapBatch({
      workspace,
      failures: [{ job: "test | web", paths: ["apps/web"] }],
      changedFiles: ["packages/shared/a.ts"],
    });
    expect(renderMappingMarkdown(mapping)).toBe(
      [
        "| Scope | Role | Why |",
        "| --- | --- | --- |",
        '| @acme/web (`apps/web`) | failing | **report paths**: the report of job "test \\| web" lists "apps/web" |',
        "| @acme/shared (`packages/shared`) | dependency | **dependency**: @acme/web depends on @acme/shared (@acme/web → @acme/ui → @acme/shared), which this PR changes (`packages/shared/a.ts`) |",
      ].join("\n"),
    );
  });
});

describe("extractLogPaths", () => {
  it("keeps repository-looking paths and drops URLs, line numbers and parent references", () => {
    expect(
      extractLogPaths(
        "./src/a.ts:1:2 x https://example.com/a/b ../outside/x.ts crates/web/src/lib.rs:3:5 node_modules/x/y.js",
      ),
    ).toEqual(["src/a.ts", "crates/web/src/lib.rs"]);
  });
});
