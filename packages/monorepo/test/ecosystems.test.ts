import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discoverWorkspace } from "../src/discovery/discover-workspace.js";
import { mapBatch } from "../src/mapping/map-batch.js";
import { buildScope } from "../src/scope/build-scope.js";
import { isWritable } from "../src/scope/is-writable.js";
import type { Workspace } from "../src/types.js";
import { cases } from "./ecosystem-cases.js";
import { type FixtureRepo, makeFixtureRepo } from "./fixture-repo.js";

describe.each(cases)("$title", (c) => {
  let repo: FixtureRepo;
  let workspace: Workspace;
  beforeAll(async () => {
    repo = await makeFixtureRepo(c.files);
    workspace = await discoverWorkspace(repo.reader);
  });
  afterAll(() => repo.remove());

  it("discovers the three packages, their tools and web's dependency on shared, without warnings", () => {
    expect(workspace.warnings).toEqual([]);
    for (const tool of c.tools) expect(workspace.tools).toContain(tool);
    const byDir = new Map(workspace.packages.map((p) => [p.dir, p]));
    expect(byDir.get(c.web.dir)?.name).toBe(c.web.name);
    expect(byDir.get(c.shared.dir)?.name).toBe(c.shared.name);
    expect(byDir.has(c.api.dir)).toBe(true);
    expect(byDir.get(c.web.dir)?.dependencies).toEqual([c.shared.name]);
    expect(byDir.get(c.api.dir)?.dependencies).toEqual([]);
  });

  it("maps a failure in web to web alone, verified with the ecosystem's command", () => {
    const failures = [{ job: c.job, log: c.log }];
    const mapping = mapBatch({ workspace, failures });
    expect(mapping.units.map((u) => u.dirs)).toEqual([[c.web.dir]]);
    expect(mapping.units[0]!.evidence.length).toBeGreaterThan(0);
    const scope = buildScope({ workspace, mapping, failures });
    expect(scope.verify.map((v) => v.command)).toEqual([c.web.verify]);
    expect(isWritable(scope, `${c.web.dir}/src/fixed.file`)).toEqual({ writable: true });
    expect(isWritable(scope, `${c.api.dir}/src/other.file`).writable).toBe(false);
  });

  it("maps a failure in web caused by a change in shared to both, with the dependency as evidence", () => {
    const failures = [{ job: c.job, log: c.log }];
    const mapping = mapBatch({ workspace, failures, changedFiles: [c.sharedChange, "README.md"] });
    expect(mapping.units.map((u) => [u.dirs[0], u.role])).toEqual([
      [c.web.dir, "failing"],
      [c.shared.dir, "dependency"],
    ]);
    const dependency = mapping.units[1]!.evidence.find((e) => e.signal === "dependency");
    expect(dependency?.detail).toContain(`${c.web.name} depends on ${c.shared.name}`);
    expect(dependency?.detail).toContain(c.sharedChange);
    const scope = buildScope({ workspace, mapping, failures });
    expect(scope.verify.map((v) => v.command)).toEqual([c.web.verify, c.shared.verify]);
    expect(isWritable(scope, `${c.shared.dir}/x`).writable).toBe(true);
  });

  it("uses the report's own command over the inferred one", () => {
    const failures = [{ job: c.job, log: c.log, command: "make test-web" }];
    const mapping = mapBatch({ workspace, failures });
    const scope = buildScope({ workspace, mapping, failures });
    expect(scope.verify).toEqual([
      { command: "make test-web", cwd: ".", source: "report", unit: mapping.units[0]!.id },
    ]);
  });
});
