import { bash, dockerAvailable, editor, text } from "@fixfleet/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { client, type Harness, type Prepared, prepareSandbox, run, startHarness } from "./fixture.js";

describe.skipIf(!dockerAvailable())("budgets, retries and output caps", () => {
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

  it("completes after 529 twice, waiting as retry-after says (our own retries, SDK retries off)", async () => {
    p = await prepareSandbox(h, "overloaded");
    h.fake.fail(529, { times: 2, retryAfter: 0.3 });
    h.fake.script([text("NOT FIXED: the runner ran out of disk; nothing to change in the code.")]);
    const result = await run(h, p, { anthropic: client(h.fake, 0) });
    h.fake.assertScriptDone();
    expect(result).toMatchObject({ status: "declined", stopReason: "model_declined", turns: 1 });
    const attempts = h.fake.requests.filter((r) => r.route === "/v1/messages");
    expect(attempts.map((r) => r.status)).toEqual([529, 529, 200]);
    expect((attempts[1]?.receivedAt ?? 0) - (attempts[0]?.receivedAt ?? 0)).toBeGreaterThanOrEqual(280);
    expect(result.transcript.filter((e) => e.type === "event" && e.event === "model_retry")).toHaveLength(2);
  });

  it("completes after 529 twice through the SDK's own retries", async () => {
    p = await prepareSandbox(h, "overloaded-sdk");
    h.fake.fail(529, { times: 2, retryAfter: 0.05 });
    h.fake.script([text("NOT FIXED: infrastructure.")]);
    const result = await run(h, p, { anthropic: client(h.fake, 2) });
    expect(result.turns).toBe(1);
    expect(result.transcript.filter((e) => e.type === "event" && e.event === "model_retry")).toHaveLength(0);
  });

  it("gives up with a PermanentError on a 400, and with a TransientError when 5xx outlast the retries", async () => {
    p = await prepareSandbox(h, "api-errors");
    h.fake.fail(400, { type: "invalid_request_error", message: "messages: bad" });
    await expect(run(h, p)).rejects.toMatchObject({ kind: "permanent", code: "anthropic_400" });
    h.fake.fail(500, { times: 10 });
    await expect(run(h, p, { retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 10 } })).rejects.toMatchObject({
      kind: "transient",
      code: "anthropic_unavailable",
    });
  });

  it("stops a 5-turn script after 3 turns with reason turns", async () => {
    p = await prepareSandbox(h, "turns");
    h.fake.script(
      [bash.command("echo one")],
      [bash.command("echo two")],
      [bash.command("echo three")],
      [bash.command("echo four")],
      [text("done")],
    );
    const result = await run(h, p, { budgets: { turns: 3 } });
    expect(result).toMatchObject({ status: "budget", stopReason: "turns", turns: 3 });
    expect(result.explanation).toMatch(/turn budget \(3 turns\)/);
    expect(h.fake.pendingTurns).toBe(2);
  });

  it("stops with reason budget when beforeTurn refuses, and reports each turn's usage to afterTurn", async () => {
    p = await prepareSandbox(h, "hook");
    h.fake.script([bash.command("echo one")], [bash.command("echo two")], [text("done")]);
    const seen: number[] = [];
    const result = await run(h, p, {
      hooks: {
        beforeTurn: async ({ turn }) =>
          turn <= 2 ? { ok: true } : { ok: false, reason: "the repository's daily budget is spent" },
        afterTurn: async (usage) => {
          seen.push(usage.outputTokens);
        },
      },
    });
    expect(result).toMatchObject({ status: "budget", stopReason: "budget", turns: 2 });
    expect(result.explanation).toContain("daily budget is spent");
    expect(seen).toHaveLength(2);
  });

  it("stops on the output-token and wall-time budgets", async () => {
    p = await prepareSandbox(h, "tokens");
    h.fake.script({ content: [bash.command("echo one")], outputTokens: 900 }, [text("done")]);
    const tokens = await run(h, p, { budgets: { outputTokens: 1000 } });
    expect(tokens).toMatchObject({ status: "budget", stopReason: "output_tokens", turns: 1 });

    h.fake.reset();
    h.fake.script([bash.command("sleep 3; echo slow")], [text("done")]);
    const time = await run(h, p, { budgets: { wallMs: 2500 } });
    expect(time).toMatchObject({ status: "budget", stopReason: "time", turns: 1 });
    const call = time.transcript.find((e) => e.type === "tool_result");
    expect(call && "content" in call ? call.content : "").toMatch(/timed out/);
  });

  it("cuts a 20 MB tool output to its cap before it reaches the model", async () => {
    p = await prepareSandbox(h, "big-output");
    const cap = 20_000;
    h.fake.script([bash.command("yes 'a line of build output' | head -c 20000000")], (req) => {
      const out = req.toolResults[0]?.content ?? "";
      expect(out.length).toBeLessThanOrEqual(cap);
      expect(out).toMatch(/^a line of build output\n/);
      expect(out).toMatch(/characters omitted|bytes omitted/);
      expect(out).toContain("[exit code 0]");
      return [text("NOT FIXED: just looking.")];
    });
    const result = await run(h, p, { limits: { maxToolResultChars: cap } });
    h.fake.assertScriptDone();
    expect(result.status).toBe("declined");
  });

  it("trims old tool outputs so no request exceeds the context window", async () => {
    p = await prepareSandbox(h, "trim");
    const limits = { contextWindowTokens: 30_000, maxTokensPerTurn: 2_000, maxToolResultChars: 24_000 };
    const big = "yes 'padding padding padding' | head -c 23000";
    h.fake.script([bash.command(big)], [bash.command(big)], [bash.command(big)], [bash.command(big)], (req) => {
      expect(JSON.stringify(req.messages)).toContain("earlier tool output was removed");
      return [text("NOT FIXED: done.")];
    });
    const result = await run(h, p, { limits, countTokens: false });
    h.fake.assertScriptDone();
    for (const r of h.fake.messageRequests()) {
      const u = r.usage;
      const input = (u?.input_tokens ?? 0) + (u?.cache_read_input_tokens ?? 0) + (u?.cache_creation_input_tokens ?? 0);
      expect(input).toBeLessThanOrEqual(limits.contextWindowTokens - limits.maxTokensPerTurn);
    }
    expect(result.transcript.some((e) => e.type === "event" && e.event === "context_trimmed")).toBe(true);
    // The transcript keeps the full outputs; only the request was trimmed.
    expect(result.transcript.filter((e) => e.type === "tool_result" && e.content.length > 20_000)).toHaveLength(4);
  });

  it("asks count_tokens near the limit", async () => {
    p = await prepareSandbox(h, "count");
    h.fake.script([bash.command("yes 'padding' | head -c 23000")], [text("NOT FIXED: done.")]);
    await run(h, p, { limits: { contextWindowTokens: 20_000, maxTokensPerTurn: 2_000 } });
    expect(h.fake.requests.some((r) => r.route === "/v1/messages/count_tokens")).toBe(true);
  });

  it("handles an answer cut at max_tokens without running its tool call", async () => {
    p = await prepareSandbox(h, "max-tokens");
    h.fake.script(
      { content: [editor.create("/workspace/packages/web/src/new.js", "x")], stopReason: "max_tokens" },
      (req) => {
        expect(req.toolResults[0]?.isError).toBe(true);
        expect(req.toolResults[0]?.content).toMatch(/cut off \(the answer reached its length limit\)/);
        return [text("NOT FIXED: stopping.")];
      },
    );
    const result = await run(h, p);
    h.fake.assertScriptDone();
    expect(result.diff.files).toEqual([]);
  });
});
