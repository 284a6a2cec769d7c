import { describe, expect, it } from "vitest";
import { resolveWorkspacePath } from "./resolve-workspace-path.js";

const paths = { workspace: "/workspace", readOnlyRoots: ["/tmp/fixfleet/logs"] };

describe("resolveWorkspacePath", () => {
  it("takes relative paths from the workspace and folds `..` that stays inside", () => {
    expect(resolveWorkspacePath("src/../lib/a.ts", paths)).toEqual({
      ok: true,
      abs: "/workspace/lib/a.ts",
      rel: "lib/a.ts",
      area: "workspace",
    });
    expect(resolveWorkspacePath("/workspace", paths)).toMatchObject({ ok: true, rel: "." });
  });

  it("refuses traversal and absolute paths outside, naming the rule", () => {
    const traversal = resolveWorkspacePath("../../etc/passwd", paths);
    expect(traversal).toMatchObject({ ok: false, rule: "inside-workspace" });
    expect(!traversal.ok && traversal.message).toMatch(/resolves to \/etc\/passwd/);
    expect(resolveWorkspacePath("/etc/passwd", paths)).toMatchObject({ ok: false, rule: "inside-workspace" });
    // A sibling that shares the prefix is still outside.
    expect(resolveWorkspacePath("/workspace-other/a", paths)).toMatchObject({ ok: false });
    expect(resolveWorkspacePath("", paths)).toMatchObject({ ok: false });
    expect(resolveWorkspacePath("a\0b", paths)).toMatchObject({ ok: false });
  });

  it("marks the logs as a read-only area", () => {
    expect(resolveWorkspacePath("/tmp/fixfleet/logs/test.log", paths)).toMatchObject({ ok: true, area: "read-only" });
    expect(resolveWorkspacePath("/tmp/fixfleet/logs/../session/env", paths)).toMatchObject({ ok: false });
  });
});
