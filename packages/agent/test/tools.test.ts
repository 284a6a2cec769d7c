import { bash, dockerAvailable, editor, text, toolUse } from "@fixfleet/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Harness, type Prepared, prepareSandbox, run, startHarness } from "./fixture.js";

const NOTES = "/workspace/packages/web/notes.txt";

describe.skipIf(!dockerAvailable())("the editor and bash tools in a real sandbox", () => {
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

  it("views directories and line ranges, reports 0 and many matches, inserts with insert_text or new_str, creates files", async () => {
    p = await prepareSandbox(h, "editor");
    h.fake.script(
      [
        editor.view("packages/web"),
        editor.view(NOTES, [2, 3]),
        editor.view("packages/web/missing.js"),
        editor.strReplace(NOTES, "gamma", "delta"),
        editor.strReplace(NOTES, "beta", "BETA"),
        editor.view(NOTES, [5, 6]),
      ],
      (req) => {
        const [dir, range, missing, zero, many, badRange] = req.toolResults;
        expect(dir?.content).toMatch(/src\/\n[\s\S]*src\/sum\.js\n[\s\S]*test\/sum\.test\.js/);
        expect(dir?.content).not.toContain("notes.txt/");
        expect(range?.content).toContain("(lines 2-3 of 3)");
        expect(range?.content).toMatch(/^\s+2\tbeta\n\s+3\tbeta$/m);
        expect(missing).toMatchObject({ isError: true });
        expect(missing?.content).toMatch(/does not exist/);
        expect(zero).toMatchObject({ isError: true });
        expect(zero?.content).toMatch(/found 0 times/);
        expect(many).toMatchObject({ isError: true });
        expect(many?.content).toMatch(/found 2 times .*lines 2, 3/);
        expect(badRange?.content).toMatch(/Invalid view_range/);
        return [
          editor.insert(NOTES, 1, "after alpha"), // insert_text, as Claude sends it
          toolUse("str_replace_based_edit_tool", { command: "insert", path: NOTES, insert_line: 0, new_str: "first" }),
          editor.create("/workspace/packages/web/src/extra/new.js", "export const x = 1;\n"),
          bash.command("cat packages/web/notes.txt; stat -c %a packages/web/src/extra/new.js"),
        ];
      },
      (req) => {
        expect(req.toolResults.slice(0, 3).every((r) => !r.isError)).toBe(true);
        expect(req.toolResults[3]?.content).toMatch(/^first\nalpha\nafter alpha\nbeta\nbeta\n644\n/);
        return [text("NOT FIXED: only exercising the tools.")];
      },
    );
    await run(h, p);
    h.fake.assertScriptDone();
  });

  it("keeps the working directory and exported variables between bash calls until restart", async () => {
    p = await prepareSandbox(h, "session");
    h.fake.script(
      [bash.command("cd packages/web && export GREETING=hello")],
      [bash.command('pwd; echo "$GREETING"; exit 3')],
      (req) => {
        expect(req.toolResults[0]?.content).toBe("/workspace/packages/web\nhello\n[exit code 3]");
        return [bash.restart()];
      },
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, not a template
      [bash.command('pwd; echo "${GREETING:-unset}"; env | grep -c -i -E "anthropic|github_token" || true')],
      (req) => {
        expect(req.toolResults[0]?.content).toBe("/workspace\nunset\n0\n[exit code 0]");
        return [bash.command("sleep 5")];
      },
      (req) => {
        expect(req.toolResults[0]?.isError).toBe(true);
        expect(req.toolResults[0]?.content).toMatch(/timed out after 1\.5s/);
        return [text("NOT FIXED: only exercising bash.")];
      },
    );
    await run(h, p, { budgets: { commandMs: 1500 } });
    h.fake.assertScriptDone();
  });
});
