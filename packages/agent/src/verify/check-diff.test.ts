import { describe, expect, it } from "vitest";
import { createWritePolicy } from "../scope/write-policy.js";
import { checkDiff } from "./check-diff.js";
import { parsePatch } from "./parse-patch.js";
import { findTestWeakening } from "./test-weakening.js";

const policy = createWritePolicy({
  scopeCheck: (p) => (p.startsWith("web/") ? { writable: true } : { writable: false, reason: "not in web" }),
});

function patchOf(path: string, removed: string[], added: string[]): string {
  return [
    `diff --git a/${path} b/${path}`,
    `--- a/${path}`,
    `+++ b/${path}`,
    "@@ -1,3 +1,3 @@",
    ...removed.map((l) => `-${l}`),
    ...added.map((l) => `+${l}`),
    "",
  ].join("\n");
}

const modified = (path: string) => ({ path, status: "modified", binary: false, additions: 1, deletions: 1 });

describe("checkDiff", () => {
  it("rejects an empty change", () => {
    expect(checkDiff({ patch: "", files: [] }, policy)).toEqual([expect.objectContaining({ kind: "empty_diff" })]);
  });

  it("accepts a source change inside the scope that keeps every test", () => {
    const patch = patchOf("web/src/sum.js", ["  return a - b;"], ["  return a + b;"]);
    expect(checkDiff({ patch, files: [modified("web/src/sum.js")] }, policy)).toEqual([]);
  });

  it("rejects changes outside the scope, including the old side of a rename", () => {
    const files = [
      { path: "web/a.js", oldPath: "api/a.js", status: "renamed", binary: false, additions: 0, deletions: 0 },
    ];
    expect(checkDiff({ patch: "", files }, policy)).toEqual([
      expect.objectContaining({ kind: "out_of_scope", path: "api/a.js" }),
    ]);
  });

  it("rejects a deleted test file and a test file moved where no runner finds it", () => {
    const deleted = { path: "web/test/sum.test.js", status: "deleted", binary: false, additions: 0, deletions: 9 };
    expect(checkDiff({ patch: "", files: [deleted] }, policy)).toEqual([
      expect.objectContaining({ kind: "test_weakened", path: "web/test/sum.test.js" }),
    ]);
    const moved = {
      path: "web/src/sum.js.bak",
      oldPath: "web/src/sum.test.js",
      status: "renamed",
      binary: false,
      additions: 0,
      deletions: 0,
    };
    expect(checkDiff({ patch: "", files: [moved] }, policy)[0]).toMatchObject({ kind: "test_weakened" });
  });

  it("rejects removed test cases, skip/only markers and removed assertions, across frameworks", () => {
    const cases: Array<[string, string[], string[], RegExp]> = [
      ["web/a.test.ts", ['it("adds", () => {', "  expect(sum(1, 2)).toBe(3);", "});"], [], /removes 1 test case/],
      ["web/a.test.ts", ['it("adds", () => {'], ['it.skip("adds", () => {'], /skip\/only/],
      ["web/a.spec.js", ['describe("x", () => {'], ['describe.only("x", () => {'], /skip\/only/],
      ["web/test_sum.py", ["def test_adds():"], ["@pytest.mark.skip", "def test_adds():"], /skip\/only/],
      ["web/test_sum.py", ["    assert sum(1, 2) == 3"], ["    pass"], /removes 1 assertion/],
      ["web/sum_test.go", ["func TestAdds(t *testing.T) {"], [], /removes 1 test case/],
      ["web/sum_test.go", ["\tif got != 3 {"], ["\tt.Skip()", "\tif got != 3 {"], /skip\/only/],
      ["web/tests/it.rs", ["#[test]", "fn adds() {}"], [], /removes 1 test case/],
      ["web/SumTest.java", ["    @Test"], ["    @Disabled @Test"], /skip\/only/],
    ];
    for (const [path, removed, added, expected] of cases) {
      const problems = checkDiff({ patch: patchOf(path, removed, added), files: [modified(path)] }, policy);
      expect(problems.map((p) => p.detail).join(" "), path).toMatch(expected);
    }
  });

  it("accepts a test whose expectation is rewritten in place", () => {
    const path = "web/a.test.ts";
    const patch = patchOf(path, ["  expect(total()).toBe(10);"], ["  expect(total()).toBe(12);"]);
    expect(checkDiff({ patch, files: [modified(path)] }, policy)).toEqual([]);
  });
});

describe("parsePatch", () => {
  it("reads added and removed lines per file, quoted paths included", () => {
    const patch = `${patchOf("a b.js", ["x"], ["y"])}diff --git "a/q\\"t.js" "b/q\\"t.js"\n--- "a/q\\"t.js"\n+++ "b/q\\"t.js"\n@@ -1 +1 @@\n-1\n+2\n`;
    expect(parsePatch(patch)).toEqual([
      { path: "a b.js", added: ["y"], removed: ["x"] },
      { path: 'q"t.js', added: ["2"], removed: ["1"] },
    ]);
  });

  it("counts a new test file's cases as added, not weakened", () => {
    const [file] = parsePatch(
      "diff --git a/t.test.js b/t.test.js\nnew file mode 100644\n--- /dev/null\n+++ b/t.test.js\n@@ -0,0 +1 @@\n+it('x', () => {})\n",
    );
    expect(file?.path).toBe("t.test.js");
    expect(findTestWeakening(file!)).toEqual([]);
  });
});
