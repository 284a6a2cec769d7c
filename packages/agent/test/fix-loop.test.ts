import { bash, dockerAvailable, editor, text } from "@fixfleet/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  failureOf,
  GITHUB_TOKEN,
  type Harness,
  type Prepared,
  prepareSandbox,
  run,
  SUM,
  startHarness,
  TEST_FILE,
  VERIFY,
} from "./fixture.js";

describe.skipIf(!dockerAvailable())("runFixAgent against the fake Anthropic and a real sandbox", () => {
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

  it("view → str_replace → bash test → end gives a verified diff with exactly that change", async () => {
    p = await prepareSandbox(h, "happy");
    h.fake.script(
      [text("Let me look at the function."), editor.view(SUM)],
      (req) => {
        expect(req.toolResults[0]?.isError).toBe(false);
        expect(req.toolResults[0]?.content).toContain("return a - b;");
        expect(req.toolResults[0]?.content).toMatch(/^\s+2\t {2}return a - b;$/m);
        return [editor.strReplace(SUM, "return a - b;", "return a + b;")];
      },
      (req) => {
        expect(req.toolResults[0]?.content).toContain("has been edited");
        return [bash.command(VERIFY)];
      },
      (req) => {
        expect(req.toolResults[0]?.content).toMatch(/pass 2/);
        expect(req.toolResults[0]?.content).toContain("[exit code 0]");
        return [text("Fixed: sum subtracted instead of adding.")];
      },
    );
    const result = await run(h, p);
    h.fake.assertScriptDone();

    expect(result.status).toBe("verified");
    expect(result.stopReason).toBe("end_turn");
    expect(result.explanation).toBe("Fixed: sum subtracted instead of adding.");
    expect(result.diff.files).toEqual([
      expect.objectContaining({ path: "packages/web/src/sum.js", status: "modified", additions: 1, deletions: 1 }),
    ]);
    const changed = result.diff.patch.split("\n").filter((l) => /^[+-](?![+-])/.test(l));
    expect(changed).toEqual(["-  return a - b;", "+  return a + b;"]);
    expect(result.verification).toEqual([expect.objectContaining({ command: VERIFY, exitCode: 0, passed: true })]);
    expect(result.turns).toBe(4);
    expect(result.rounds).toBe(1);

    // The stable prefix carries cache breakpoints: tools, system, failure context.
    const requests = h.fake.messageRequests();
    const first = requests[0]?.body as {
      system: Array<{ cache_control?: unknown }>;
      tools: Array<{ type: string; name: string; cache_control?: unknown }>;
      messages: Array<{ content: Array<{ cache_control?: unknown; text?: string }> }>;
    };
    expect(first.tools.map((t) => [t.type, t.name])).toEqual([
      ["text_editor_20250728", "str_replace_based_edit_tool"],
      ["bash_20250124", "bash"],
    ]);
    expect(first.tools.at(-1)?.cache_control).toEqual({ type: "ephemeral" });
    expect(first.system.at(-1)?.cache_control).toEqual({ type: "ephemeral" });
    expect(first.messages[0]?.content.at(-1)?.cache_control).toEqual({ type: "ephemeral" });
    expect(first.messages[0]?.content[0]?.text).toContain("/tmp/fixfleet/logs/test-packages-web.log");
    // Later turns read that prefix from the cache, and the run's usage records it.
    expect(requests[1]?.usage?.cache_read_input_tokens ?? 0).toBeGreaterThan(0);
    expect(result.usage.cacheCreationInputTokens).toBeGreaterThan(0);
    expect(result.usage.cacheReadInputTokens).toBeGreaterThan(0);
    const sum = (k: "input_tokens" | "output_tokens" | "cache_read_input_tokens" | "cache_creation_input_tokens") =>
      requests.reduce((n, r) => n + Number(r.usage?.[k] ?? 0), 0);
    expect(result.usage).toEqual({
      inputTokens: sum("input_tokens"),
      outputTokens: sum("output_tokens"),
      cacheReadInputTokens: sum("cache_read_input_tokens"),
      cacheCreationInputTokens: sum("cache_creation_input_tokens"),
    });
    // The transcript holds every call with its input and output.
    const calls = result.transcript.filter((e) => e.type === "tool_result");
    expect(calls.map((c) => c.name)).toEqual(["str_replace_based_edit_tool", "str_replace_based_edit_tool", "bash"]);
  });

  it("does not accept a run that claims success while the verify command still fails", async () => {
    p = await prepareSandbox(h, "claims");
    h.fake.script([editor.strReplace(SUM, "return a - b;", "return a * b;")], [text("Fixed it.")], (req) => {
      const last = req.messages.at(-1);
      expect(JSON.stringify(last?.content)).toContain("still fails");
      return [text("It is fixed, trust me.")];
    });
    const result = await run(h, p);
    h.fake.assertScriptDone();
    expect(result.status).toBe("not_fixed");
    expect(result.stopReason).toBe("verification_failed");
    expect(result.rounds).toBe(2);
    expect(result.verification[0]).toMatchObject({ command: VERIFY, passed: false });
    expect(result.verification[0]?.exitCode).not.toBe(0);
  });

  it("gives one more round with the new failure output, and accepts a fix made in it", async () => {
    p = await prepareSandbox(h, "second-round");
    h.fake.script(
      [editor.strReplace(SUM, "return a - b;", "return a * b;")],
      [text("Fixed it.")],
      (req) => {
        expect(JSON.stringify(req.messages.at(-1)?.content)).toMatch(/still fails[\s\S]*fail 2/);
        return [editor.strReplace(SUM, "return a * b;", "return a + b;")];
      },
      [text("Now it adds.")],
    );
    const result = await run(h, p);
    h.fake.assertScriptDone();
    expect(result).toMatchObject({ status: "verified", stopReason: "end_turn", rounds: 2 });
  });

  it("rejects a run that deletes the failing test, by the diff check", async () => {
    p = await prepareSandbox(h, "delete-test");
    h.fake.script(
      [bash.command(`rm ${TEST_FILE}`)],
      [text("Removed the broken test; CI is green.")],
      [text("I stand by it.")],
    );
    const result = await run(h, p);
    h.fake.assertScriptDone();
    expect(result.status).toBe("not_fixed");
    expect(result.stopReason).toBe("test_weakened");
    expect(result.problems).toEqual([expect.objectContaining({ kind: "test_weakened", path: TEST_FILE })]);
    expect(result.diff.files).toEqual([expect.objectContaining({ path: TEST_FILE, status: "deleted" })]);
    // Nothing was accepted on the model's word: the verify commands did not even count.
    expect(result.verification).toEqual([]);
  });

  it("rejects removing a test case through the editor", async () => {
    p = await prepareSandbox(h, "remove-case");
    h.fake.script(
      [
        editor.strReplace(
          `/workspace/${TEST_FILE}`,
          'test("adds two numbers", () => {\n  assert.equal(sum(1, 2), 3);\n});\n\n',
          "",
        ),
      ],
      [text("Done.")],
      [text("Done.")],
    );
    const result = await run(h, p);
    expect(result).toMatchObject({ status: "not_fixed", stopReason: "test_weakened" });
    expect(result.problems.map((x) => x.detail).join(" ")).toMatch(/removes 1 test case/);
  });

  it("does not accept an empty change, even after a second round", async () => {
    p = await prepareSandbox(h, "empty");
    h.fake.script([text("Fixed.")], (req) => {
      expect(JSON.stringify(req.messages.at(-1)?.content)).toMatch(/the change is empty[\s\S]*still fails/);
      return [text("Fixed, really.")];
    });
    const result = await run(h, p);
    h.fake.assertScriptDone();
    expect(result).toMatchObject({ status: "not_fixed", stopReason: "empty_diff", rounds: 2 });
    expect(result.verification[0]).toMatchObject({ passed: false });
  });

  it("declines without a change when the model says NOT FIXED", async () => {
    p = await prepareSandbox(h, "declined");
    h.fake.script([text("NOT FIXED: the failure is a network timeout on the runner; re-run the job.")]);
    const result = await run(h, p);
    expect(result).toMatchObject({ status: "declined", stopReason: "model_declined" });
    expect(result.explanation).toMatch(/^NOT FIXED/);
  });

  it("keeps the GitHub token out of every request and the Anthropic key out of every tool result", async () => {
    p = await prepareSandbox(h, "secrets", {
      "packages/web/leak.txt": `token=${GITHUB_TOKEN}\nkey=${"__KEY__"}\n`,
    });
    // The key only exists in the worker; plant it in the sandbox to prove results are redacted anyway.
    await p.sandbox.exec(["sh", "-c", 'sed -i "s/__KEY__/$1/" packages/web/leak.txt', "sh", h.fake.apiKey]);
    h.fake.script(
      [bash.command("cat packages/web/leak.txt; env; grep -rn x-access-token /tmp/fixfleet/logs/")],
      [editor.view("/workspace/packages/web/leak.txt")],
      [text("NOT FIXED: nothing to fix here.")],
    );
    const result = await run(h, p);
    h.fake.assertScriptDone();
    const requests = h.fake.requests;
    expect(requests.length).toBeGreaterThan(0);
    for (const r of requests) expect(JSON.stringify(r.body)).not.toContain(GITHUB_TOKEN);
    for (const r of h.fake.messageRequests()) {
      for (const tr of r.toolResults) expect(tr.content).not.toContain(h.fake.apiKey);
    }
    const outputs = h.fake.messageRequests().flatMap((r) => r.toolResults.map((t) => t.content));
    expect(outputs.join("\n")).toContain("token=[REDACTED]");
    expect(outputs.join("\n")).toContain("x-access-token:[REDACTED]@github.com");
    // The full log in the sandbox is redacted too, and so is the transcript.
    const log = await p.sandbox.exec("cat /tmp/fixfleet/logs/test-packages-web.log");
    expect(log.stdout).toContain("ℹ fail 1");
    expect(log.stdout).not.toContain(GITHUB_TOKEN);
    const stored = JSON.stringify(result.transcript);
    expect(stored).not.toContain(GITHUB_TOKEN);
    expect(stored).not.toContain(h.fake.apiKey);
  });

  it("offers a fix that worked for the same failure before in the first request, capped and redacted", async () => {
    p = await prepareSandbox(h, "hint");
    const summary = `Changed sum() to add: \`return a + b;\` (the remote was x-access-token:${GITHUB_TOKEN}@github.com). ${"More detail. ".repeat(400)}END`;
    h.fake.script((req) => {
      const first = JSON.stringify(req.messages[0]?.content);
      expect(first).toContain("## A fix that worked for the same failure before (a hint; it may not apply)");
      expect(first).toContain("(pull request #5, branch fixfleet/pr-5, commit 0123abc, 2025-05-17)");
      expect(first).toContain("Changed sum() to add: `return a + b;`");
      expect(first).toContain("x-access-token:[REDACTED]@github.com");
      expect(first).toMatch(/characters omitted/);
      // Head and tail kept, the middle cut to the limit.
      expect(first).toContain("More detail. END");
      expect(first.match(/More detail\./g)?.length ?? 0).toBeLessThan(40);
      return [text("NOT FIXED: stopping here; this test only looks at the prompt.")];
    });
    const result = await run(h, p, {
      failure: {
        ...failureOf(p),
        hint: { summary, at: Date.UTC(2025, 4, 17), pr: 5, branch: "fixfleet/pr-5", commitSha: "0123abc" },
      },
      limits: { maxHintChars: 500 },
    });
    h.fake.assertScriptDone();
    expect(result.status).toBe("declined");
    for (const r of h.fake.requests) expect(JSON.stringify(r.body)).not.toContain(GITHUB_TOKEN);
  });
});
