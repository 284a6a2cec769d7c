import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discoverWorkspace } from "../src/discovery/discover-workspace.js";
import { mapBatch } from "../src/mapping/map-batch.js";
import { buildScope } from "../src/scope/build-scope.js";
import { checkDiff, isWritable } from "../src/scope/is-writable.js";
import type { Scope } from "../src/scope/scope.js";
import { type FixtureRepo, makeFixtureRepo, nodePackage } from "./fixture-repo.js";
import { git } from "./git.js";

/**
 * The module's half of issue 9's end-to-end point: in a two-package repository with the failure
 * in packages/web, the write guard refuses packages/api and the diff check passes only a diff
 * confined to packages/web. (The agent and worker wiring is tested where they live.)
 */
describe("two-package repository, failure in packages/web", () => {
  let repo: FixtureRepo;
  let scope: Scope;
  beforeAll(async () => {
    repo = await makeFixtureRepo({
      "package.json": { private: true, workspaces: ["packages/*"] },
      "packages/web/package.json": nodePackage("web"),
      "packages/web/src/app.js": "module.exports = 1\n",
      "packages/api/package.json": nodePackage("api"),
      "packages/api/src/server.js": "module.exports = 2\n",
    });
    await git(["init", "-q", "-b", "main"], repo.root);
    await git(["add", "-A"], repo.root);
    await git(["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "init"], repo.root);
    const workspace = await discoverWorkspace(repo.reader);
    const failures = [{ job: "test (packages/web)", command: "npm test -w web", paths: ["packages/web"] }];
    scope = buildScope({ workspace, mapping: mapBatch({ workspace, failures }), failures });
  });
  afterAll(() => repo.remove());

  it("the write guard refuses an edit under packages/api with a reason", () => {
    const decision = isWritable(scope, "packages/api/src/server.js");
    expect(decision.writable).toBe(false);
    expect(!decision.writable && decision.reason).toContain("outside this fix's scope, which is web (packages/web)");
    expect(isWritable(scope, "packages/web/src/app.js")).toEqual({ writable: true });
  });

  it("the diff check passes a real git diff confined to packages/web and names the file of one that is not", async () => {
    await writeFile(path.join(repo.root, "packages/web/src/app.js"), "module.exports = 3\n");
    const webOnly = (await git(["diff", "--name-only"], repo.root)).split("\n").filter(Boolean);
    expect(checkDiff(scope, webOnly)).toEqual({ ok: true, refused: [] });
    await writeFile(path.join(repo.root, "packages/api/src/server.js"), "module.exports = 4\n");
    const both = (await git(["diff", "--name-only"], repo.root)).split("\n").filter(Boolean);
    const result = checkDiff(scope, both);
    expect(result.ok).toBe(false);
    expect(result.refused.map((r) => r.path)).toEqual(["packages/api/src/server.js"]);
    expect(scope.verify.map((v) => v.command)).toEqual(["npm test -w web"]);
  });
});
