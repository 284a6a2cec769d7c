import { bash, dockerAvailable, editor, text } from "@fixfleet/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type AgentUsage, systemPrompt } from "../src/index.js";
import { failureOf, type Harness, type Prepared, prepareSandbox, run, SUM, startHarness, VERIFY } from "./fixture.js";

// The verify command leaves a mark, so a test can tell whether the agent re-ran it.
const MARK = "/tmp/fixfleet-verify-ran";
const MARKED_VERIFY = `touch ${MARK}; ${VERIFY}`;
const ORIGINAL_SUM = "export function sum(a, b) {\n  return a - b;\n}\n";
const DIAGNOSIS = [
  "**What fails**: `adds two numbers` in packages/web/test/sum.test.js:6 (-1 !== 3).",
  "**Likely cause**: packages/web/src/sum.js:2 returns `a - b`.",
  "**Suggested change**: `return a + b;` on that line.",
].join("\n");

describe.skipIf(!dockerAvailable())("runFixAgent in explain mode (/fixfleet explain)", () => {
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

  async function fileAt(path: string): Promise<{ exitCode: number | null; stdout: string }> {
    if (!p) throw new Error("no sandbox");
    return p.sandbox.exec(["cat", path]);
  }

  it("refuses the editor's writes, reproduces with bash, and ends explained with the diagnosis, unverified", async () => {
    p = await prepareSandbox(h, "explain");
    h.fake.script(
      [text("Reproducing first."), bash.command(VERIFY)],
      (req) => {
        expect(req.toolResults[0]).toMatchObject({ isError: false });
        expect(req.toolResults[0]?.content).toMatch(/fail 1/);
        return [
          editor.view(SUM),
          editor.strReplace(SUM, "return a - b;", "return a + b;"),
          editor.create("/workspace/packages/web/src/extra.js", "export const x = 1;\n"),
          editor.insert(SUM, 1, "// added\n"),
        ];
      },
      (req) => {
        const [view, replace, create, insert] = req.toolResults;
        expect(view).toMatchObject({ isError: false });
        expect(view?.content).toContain("return a - b;");
        for (const [result, command] of [
          [replace, "str_replace"],
          [create, "create"],
          [insert, "insert"],
        ] as const) {
          expect(result?.isError).toBe(true);
          expect(result?.content).toContain("analysis only (/fixfleet explain): no file may be changed");
          expect(result?.content).toContain(`\`${command}\` is refused`);
        }
        return [text(DIAGNOSIS)];
      },
    );
    const result = await run(h, p, { mode: "explain", failure: { ...failureOf(p), commands: [MARKED_VERIFY] } });
    h.fake.assertScriptDone();

    expect(result).toMatchObject({ status: "explained", stopReason: "end_turn", turns: 3, rounds: 1 });
    expect(result.explanation).toBe(DIAGNOSIS);
    expect(result.verification).toEqual([]);
    expect(result.problems).toEqual([]);
    expect(result.diff).toEqual({ patch: "", files: [] });
    // Nothing changed in the sandbox, and the verify command never ran.
    expect((await fileAt(SUM)).stdout).toBe(ORIGINAL_SUM);
    expect((await fileAt("/workspace/packages/web/src/extra.js")).exitCode).not.toBe(0);
    expect((await fileAt(MARK)).exitCode).not.toBe(0);
    expect(result.transcript.some((e) => e.type === "verification")).toBe(false);
    const refusals = result.transcript.filter((e) => e.type === "tool_result" && e.isError);
    expect(refusals.map((e) => e.type === "tool_result" && e.rule)).toEqual([
      "explain-read-only",
      "explain-read-only",
      "explain-read-only",
    ]);

    // The explain system prompt was sent, on every request, and the context asks for analysis only.
    const explainPrompt = systemPrompt({ workspace: "/workspace", logsDir: "/tmp/fixfleet/logs", mode: "explain" });
    const requests = h.fake.messageRequests();
    expect(requests).toHaveLength(3);
    for (const r of requests) expect(r.system).toBe(explainPrompt);
    expect(JSON.stringify(requests[0]?.messages[0]?.content)).toMatch(/This run is analysis only/);
    expect(result.transcript[0]).toMatchObject({ type: "context", mode: "explain", system: explainPrompt });
  });

  it("never reads or verifies what bash changed, and never gives a second round", async () => {
    p = await prepareSandbox(h, "explain-bash");
    h.fake.script([bash.command(`sed -i 's/a - b/a + b/' ${SUM}`)], [text("It subtracts; it should add.")]);
    const result = await run(h, p, { mode: "explain", failure: { ...failureOf(p), commands: [MARKED_VERIFY] } });
    h.fake.assertScriptDone();
    expect(result).toMatchObject({ status: "explained", stopReason: "end_turn", rounds: 1, turns: 2 });
    expect(result.explanation).toBe("It subtracts; it should add.");
    expect(result.diff).toEqual({ patch: "", files: [] });
    expect(result.verification).toEqual([]);
    expect((await fileAt(MARK)).exitCode).not.toBe(0);
  });

  it("keeps budgets and hooks: a refused turn ends the run explained with reason budget and what was said", async () => {
    p = await prepareSandbox(h, "explain-budget");
    const seen: number[] = [];
    const totals: AgentUsage[] = [];
    h.fake.script([text("The test asserts 1 + 2 = 3; looking at sum.js next."), editor.view(SUM)]);
    const result = await run(h, p, {
      mode: "explain",
      failure: { ...failureOf(p), commands: [MARKED_VERIFY] },
      hooks: {
        beforeTurn: async ({ turn }) => {
          seen.push(turn);
          return turn < 2 ? { ok: true } : { ok: false, reason: "the repository's daily budget is spent" };
        },
        afterTurn: async (_turn, total) => {
          totals.push(total);
        },
      },
    });
    h.fake.assertScriptDone();
    expect(seen).toEqual([1, 2]);
    expect(totals).toHaveLength(1);
    expect(result).toMatchObject({ status: "explained", stopReason: "budget", turns: 1 });
    expect(result.explanation).toBe(
      "Stopped: the repository's daily budget is spent.\n\nThe test asserts 1 + 2 = 3; looking at sum.js next.",
    );
    expect(result.verification).toEqual([]);
    expect((await fileAt(MARK)).exitCode).not.toBe(0);
  });
});
