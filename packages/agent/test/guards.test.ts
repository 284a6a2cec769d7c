import { dockerAvailable, editor, text } from "@fixfleet/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Harness, type Prepared, prepareSandbox, run, startHarness } from "./fixture.js";

describe.skipIf(!dockerAvailable())("path guards of the editor tool, in a real sandbox", () => {
  let h: Harness;
  let p: Prepared | undefined;

  beforeAll(async () => {
    h = await startHarness();
  }, 300_000);
  afterAll(async () => {
    await h?.stop();
  });
  afterEach(async () => {
    h.fake.reset();
    await p?.cleanup();
    p = undefined;
  });

  it("refuses traversal, absolute paths, symlink escapes, protected paths and files outside the scope, naming the rule", async () => {
    p = await prepareSandbox(h, "guards");
    const sandbox = p.sandbox;
    await sandbox.exec("printf 'outside\\n' > /tmp/fixfleet-outside.txt");
    const snapshot = () =>
      sandbox.exec([
        "sh",
        "-c",
        "cat /etc/passwd /tmp/fixfleet-outside.txt .github/workflows/ci.yml packages/api/src/index.js | sha256sum; ls /tmp/planted.txt /etc/fixfleet-owned 2>&1 | wc -l",
      ]);
    const before = await snapshot();

    h.fake.script(
      [
        editor.strReplace("../../etc/passwd", "root", "toor"),
        editor.create("/etc/fixfleet-owned", "x"),
        editor.strReplace("packages/web/escape.txt", "outside", "inside"),
        editor.create("packages/web/tmpdir/planted.txt", "x"),
        editor.strReplace(".github/workflows/ci.yml", "npm test", "true"),
        editor.strReplace("/workspace/packages/api/src/index.js", "api = 1", "api = 2"),
        editor.insert("/workspace/.git/config", 0, "[core]\n"),
      ],
      (req) => {
        const results = req.toolResults;
        expect(results).toHaveLength(7);
        expect(results.every((r) => r.isError)).toBe(true);
        const [traversal, absolute, symlinkFile, symlinkDir, workflow, scope, git] = results.map((r) => r.content);
        expect(traversal).toMatch(/rule "inside-workspace".*resolves to \/etc\/passwd/);
        expect(absolute).toMatch(/rule "inside-workspace".*absolute path outside the repository/);
        expect(symlinkFile).toMatch(/rule "no-symlink-escape".*\/tmp\/fixfleet-outside\.txt/);
        expect(symlinkDir).toMatch(/rule "no-symlink-escape"/);
        expect(workflow).toMatch(/rule "protected-path".*\.github\/workflows\/\*\*/);
        expect(scope).toMatch(/rule "fix-scope".*packages\/api\/src\/index\.js/);
        expect(git).toMatch(/rule "git-internals"/);
        return [text("NOT FIXED: every edit was refused.")];
      },
    );
    const result = await run(h, p);
    h.fake.assertScriptDone();

    expect((await snapshot()).stdout).toBe(before.stdout);
    expect(result.diff.files).toEqual([]);
    const rules = result.transcript.flatMap((e) => (e.type === "tool_result" && e.rule ? [e.rule] : []));
    expect(rules).toEqual([
      "inside-workspace",
      "inside-workspace",
      "no-symlink-escape",
      "no-symlink-escape",
      "protected-path",
      "fix-scope",
      "git-internals",
    ]);
  });

  it("lets the model read the logs outside the repository but not write them", async () => {
    p = await prepareSandbox(h, "logs");
    h.fake.script(
      [
        editor.view("/tmp/fixfleet/logs/test-packages-web.log", [2001, -1]),
        editor.create("/tmp/fixfleet/logs/x.log", "x"),
      ],
      (req) => {
        expect(req.toolResults[0]?.isError).toBe(false);
        expect(req.toolResults[0]?.content).toContain("AssertionError");
        expect(req.toolResults[1]?.isError).toBe(true);
        expect(req.toolResults[1]?.content).toMatch(/rule "read-only-area"/);
        return [text("NOT FIXED: done reading.")];
      },
    );
    await run(h, p);
    h.fake.assertScriptDone();
  });

  it("catches a bash change outside the scope in the final diff", async () => {
    p = await prepareSandbox(h, "bash-scope");
    h.fake.script(
      [
        {
          type: "tool_use",
          id: "toolu_sed",
          name: "bash",
          input: {
            command:
              "sed -i 's/a - b/a + b/' packages/web/src/sum.js && echo 'export const api = 2;' > packages/api/src/index.js",
          },
        },
      ],
      [text("Fixed.")],
      (req) => {
        expect(JSON.stringify(req.messages.at(-1)?.content)).toMatch(/outside (the|this) fix's scope/);
        return [text("Sorry.")];
      },
    );
    const result = await run(h, p);
    h.fake.assertScriptDone();
    expect(result).toMatchObject({ status: "not_fixed", stopReason: "out_of_scope" });
    expect(result.problems).toEqual([
      expect.objectContaining({ kind: "out_of_scope", path: "packages/api/src/index.js" }),
    ]);
  });
});
