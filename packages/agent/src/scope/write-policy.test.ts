import { buildScope, createMemoryReader, discoverWorkspace, isWritable, mapBatch } from "@fixfleet/monorepo";
import { describe, expect, it } from "vitest";
import { createWritePolicy } from "./write-policy.js";

describe("createWritePolicy", () => {
  it("protects .github/workflows always, plus the config's paths, and git internals", () => {
    const policy = createWritePolicy({ protectedPaths: ["infra/**"] });
    expect(policy.check(".github/workflows/ci.yml")).toMatchObject({ ok: false, rule: "protected-path" });
    expect(policy.check("infra/k8s/a.yaml")).toMatchObject({ ok: false, rule: "protected-path" });
    expect(policy.check(".git/config")).toMatchObject({ ok: false, rule: "git-internals" });
    expect(policy.check("src/a.ts")).toEqual({ ok: true });
  });

  it("uses the monorepo scope: files of other packages are refused with the scope's reason", async () => {
    const reader = createMemoryReader({
      "package.json": JSON.stringify({ name: "r", workspaces: ["packages/*"] }),
      "packages/web/package.json": JSON.stringify({ name: "web", scripts: { test: "x" } }),
      "packages/api/package.json": JSON.stringify({ name: "api", scripts: { test: "x" } }),
    });
    const workspace = await discoverWorkspace(reader);
    const failures = [{ job: "test", paths: ["packages/web"] }];
    const scope = buildScope({ workspace, mapping: mapBatch({ workspace, failures }), failures });
    const policy = createWritePolicy({ scopeCheck: (p) => isWritable(scope, p) });
    expect(policy.check("packages/web/src/a.ts")).toEqual({ ok: true });
    const refused = policy.check("packages/api/src/a.ts");
    expect(refused).toMatchObject({ ok: false, rule: "fix-scope" });
    expect(!refused.ok && refused.message).toMatch(/outside (the|this) fix's scope/);
  });
});
