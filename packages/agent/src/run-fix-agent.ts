import type Anthropic from "@anthropic-ai/sdk";
import { isWritable } from "@fixfleet/monorepo";
import { PermanentError } from "@fixfleet/shared";
import type { AgentResult, AgentStatus, AgentStopReason } from "./agent-result.js";
import { BudgetMeter, type BudgetStop, systemClock } from "./budgets/budget-meter.js";
import { resolveBudgets } from "./budgets/budgets.js";
import { usageFromApi } from "./budgets/usage.js";
import { fitContext } from "./context/fit-context.js";
import { trimCandidates } from "./context/trim-context.js";
import { failureInputSchema, normaliseCommands } from "./failure-input.js";
import { placeLogs } from "./logs/place-logs.js";
import { callModel, DEFAULT_RETRY_POLICY } from "./model/call-model.js";
import { PathGuard } from "./paths/path-guard.js";
import { buildRequest } from "./prompt/build-request.js";
import { renderFailureContext } from "./prompt/failure-context.js";
import { fence } from "./prompt/fence.js";
import { systemPrompt } from "./prompt/system-prompt.js";
import { DEFAULT_LIMITS, type RunFixAgentOptions } from "./run-options.js";
import type { SandboxDiff } from "./sandbox-port.js";
import { createWritePolicy } from "./scope/write-policy.js";
import { BashSession } from "./tools/bash-session.js";
import { toolDefinitions } from "./tools/definitions.js";
import { executeTool } from "./tools/execute-tool.js";
import type { ToolContext } from "./tools/tool-context.js";
import { Transcript, type TranscriptBlock } from "./transcript/transcript.js";
import { checkDiff, type DiffProblem } from "./verify/check-diff.js";
import { runVerification, type VerificationResult } from "./verify/run-verification.js";

const BUDGET_STOPS: ReadonlySet<AgentStopReason> = new Set([
  "turns",
  "input_tokens",
  "output_tokens",
  "time",
  "budget",
]);
// The prompt asks for "NOT FIXED:" at the start of the explanation; a line starting with it anywhere counts.
const DECLINE_MARK = /^\s*NOT FIXED\b/im;

/** Assistant content as it is sent back: only the block kinds the conversation may carry, none empty. */
function toParams(content: Anthropic.ContentBlock[]): Anthropic.ContentBlockParam[] {
  const out: Anthropic.ContentBlockParam[] = [];
  for (const block of content) {
    if (block.type === "text" && block.text.length > 0) out.push({ type: "text", text: block.text });
    else if (block.type === "tool_use")
      out.push({ type: "tool_use", id: block.id, name: block.name, input: block.input });
    else if (block.type === "thinking")
      out.push({ type: "thinking", thinking: block.thinking, signature: block.signature });
    else if (block.type === "redacted_thinking") out.push({ type: "redacted_thinking", data: block.data });
  }
  return out.length ? out : [{ type: "text", text: "(no answer)" }];
}

function transcriptBlocks(content: Anthropic.ContentBlock[]): TranscriptBlock[] {
  return content.map((b) =>
    b.type === "text"
      ? { type: "text", text: b.text }
      : b.type === "tool_use"
        ? { type: "tool_use", id: b.id, name: b.name, input: b.input }
        : { type: "other", blockType: b.type },
  );
}

function textOf(content: Anthropic.ContentBlock[]): string {
  return content
    .filter((b): b is Anthropic.TextBlock => b.type === "text")
    .map((b) => b.text)
    .join("\n")
    .trim();
}

const BUDGET_SENTENCES: Record<BudgetStop, (o: { turns: number }) => string> = {
  turns: ({ turns }) => `the turn budget (${turns} turns) was used up`,
  input_tokens: () => "the input-token budget was used up",
  output_tokens: () => "the output-token budget was used up",
  time: () => "the wall-time budget ran out",
};

function feedbackForRound(problems: DiffProblem[], verification: VerificationResult[]): string {
  const parts = ["fixfleet checked your change and it is not accepted yet."];
  if (problems.length) parts.push(`Problems with the change:\n${problems.map((p) => `- ${p.detail}`).join("\n")}`);
  const failed = verification.filter((v) => !v.passed);
  for (const v of failed) {
    parts.push(
      `\`${v.command}\`${v.cwd !== "." ? ` (in ${v.cwd})` : ""} still fails (exit code ${v.exitCode ?? "none"}${v.timedOut ? ", timed out" : ""}). End of its output:\n${fence(v.outputTail)}`,
    );
  }
  parts.push(
    'This is your last round: fix what is listed above within the same rules (no weakened or deleted tests, only files in scope), run the failing commands again, then end with a short explanation. If it cannot be fixed within the rules, undo your changes and explain, starting with "NOT FIXED:".',
  );
  return parts.join("\n\n");
}

/**
 * Runs Claude against one batch of failures inside its sandbox, then verifies the result in
 * code: the diff is checked (non-empty, in scope, no test removed or switched off) and every
 * failing command is re-run. One more round with the new failure output is allowed when budgets
 * remain. Throws TransientError / PermanentError only for infrastructure (the API after its
 * retries, the sandbox); everything the model does wrong ends in the result.
 */
export async function runFixAgent(options: RunFixAgentOptions): Promise<AgentResult> {
  const parsed = failureInputSchema.safeParse(options.failure);
  if (!parsed.success) {
    throw new PermanentError(
      `invalid failure input: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
      {
        code: "agent_input",
      },
    );
  }
  const failure = parsed.data;
  const clock = options.clock ?? systemClock;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const budgets = resolveBudgets(options.budgets);
  const meter = new BudgetMeter(budgets, clock);
  const redact = options.redact;
  const workspace = options.workspace ?? "/workspace";
  const agentDir = options.agentDir ?? "/tmp/fixfleet";
  const logsDir = `${agentDir}/logs`;
  const env = { CI: "true", PAGER: "cat", GIT_PAGER: "cat", TERM: "dumb", ...options.env };
  const commands = normaliseCommands(failure.commands);
  const scope = options.failure.scope;
  const scopeCheck = options.scopeCheck ?? (scope ? (path: string) => isWritable(scope, path) : undefined);
  const policy = createWritePolicy({
    ...(scopeCheck ? { scopeCheck } : {}),
    protectedPaths: [...(options.protectedPaths ?? []), ...(failure.scope?.protected ?? [])],
  });
  const transcript = new Transcript(redact, () => clock.now());
  const log = options.logger;
  const mode = options.mode ?? "fix";
  const explain = mode === "explain";

  const guard = new PathGuard(options.sandbox, { workspace, readOnlyRoots: [logsDir] }, policy);
  const session = new BashSession(options.sandbox, workspace, `${agentDir}/session`);
  const ctx: ToolContext = {
    sandbox: options.sandbox,
    guard,
    meter,
    maxResultChars: limits.maxToolResultChars,
    maxCommandOutputBytes: limits.maxCommandOutputBytes,
    idleTimeoutMs: limits.idleTimeoutMs,
    env,
    sessionDir: `${agentDir}/session`,
    redact,
    readOnly: explain,
  };

  const logFiles = await placeLogs(options.sandbox, failure.jobs, logsDir, redact, limits.maxFullLogChars);
  const system = redact(systemPrompt({ workspace, logsDir, mode }));
  const tools = toolDefinitions(limits.maxToolResultChars);
  const failureContext = renderFailureContext(failure, {
    workspace,
    logsDir,
    logFiles,
    commands,
    protectedPaths: policy.protectedPaths,
    maxExcerptChars: limits.maxLogExcerptChars,
    maxHintChars: limits.maxHintChars,
    mode,
    redact,
  });
  transcript.add({
    type: "context",
    model: options.model,
    mode,
    system,
    tools: tools.map((t) => ("name" in t ? t.name : t.type)),
    failureContext,
  });

  const messages: Anthropic.MessageParam[] = [{ role: "user", content: [{ type: "text", text: failureContext }] }];
  const trimmed = new Set<string>();
  let round = 1;
  let explanation = "";
  let stop: AgentStopReason;
  let stopNote = "";
  let verification: VerificationResult[] = [];
  let problems: DiffProblem[] = [];
  let diff: SandboxDiff = { patch: "", files: [] };

  for (;;) {
    // ---- the tool-use loop of one round ----
    for (;;) {
      const maxTokens = Math.min(limits.maxTokensPerTurn, meter.remainingOutputTokens());
      const fitted = await fitContext({
        anthropic: options.anthropic,
        messages,
        trimmed,
        build: (msgs) => buildRequest({ model: options.model, maxTokens, system, tools, messages: msgs }),
        limitTokens: limits.contextWindowTokens - maxTokens - 1_000,
        countAbove: options.countTokens === false ? 0 : 0.6,
        onTrim: (count, tokens) => {
          transcript.add({
            type: "event",
            event: "context_trimmed",
            detail: `${count} old tool output(s) trimmed; request now ~${tokens} tokens`,
          });
          log?.info({ count, tokens }, "agent context trimmed");
        },
      });
      if (!fitted) {
        stop = "context";
        stopNote = "the conversation no longer fits the model's context window, even with old tool outputs trimmed";
        break;
      }
      const exhausted = meter.exhausted(fitted.tokens);
      if (exhausted) {
        stop = exhausted;
        stopNote = BUDGET_SENTENCES[exhausted]({ turns: budgets.turns });
        break;
      }
      const verdict = (await options.hooks?.beforeTurn?.({ turn: meter.turns + 1, usage: meter.usage })) ?? {
        ok: true,
      };
      if (!verdict.ok) {
        stop = "budget";
        stopNote = verdict.reason;
        break;
      }

      const response = await callModel({
        anthropic: options.anthropic,
        body: fitted.body,
        clock,
        policy: retry,
        remainingMs: () => meter.remainingMs(),
        requestTimeoutMs: Math.max(1_000, Math.min(limits.requestTimeoutMs, meter.remainingMs())),
        onRetry: (error, attempt, waitMs) => {
          transcript.add({
            type: "event",
            event: "model_retry",
            detail: `attempt ${attempt} failed (${error.reason}); retrying in ${Math.round(waitMs)} ms`,
          });
          log?.warn({ attempt, waitMs, reason: error.reason }, "agent model call failed; retrying");
        },
      });
      const turnUsage = usageFromApi(response.usage);
      meter.recordTurn(turnUsage);
      await options.hooks?.afterTurn?.(turnUsage, meter.usage);
      transcript.add({
        type: "assistant",
        turn: meter.turns,
        round,
        content: transcriptBlocks(response.content),
        stopReason: response.stop_reason,
        usage: turnUsage,
      });
      log?.debug({ turn: meter.turns, stopReason: response.stop_reason, usage: turnUsage }, "agent turn");
      messages.push({ role: "assistant", content: toParams(response.content) });
      const text = textOf(response.content);
      if (text) explanation = text;

      // An answer cut short (max_tokens, or the context window filled up while it was written)
      // may end in a half-written tool call: none of its calls is run.
      const cutShort =
        response.stop_reason === "max_tokens" || response.stop_reason === "model_context_window_exceeded";
      if (response.stop_reason === "model_context_window_exceeded") {
        for (const id of trimCandidates(messages)) trimmed.add(id);
        transcript.add({
          type: "event",
          event: "context_trimmed",
          detail: "the answer hit the context window; every older tool output trimmed",
        });
      }
      const toolUses = response.content.filter((b): b is Anthropic.ToolUseBlock => b.type === "tool_use");
      if (toolUses.length > 0) {
        const results: Anthropic.ToolResultBlockParam[] = [];
        for (const use of toolUses) {
          const started = clock.now();
          const outcome = cutShort
            ? {
                content:
                  "This tool call was cut off (the answer reached its length limit) before it was complete, so it was not run. Send it again, in smaller pieces if it is long.",
                isError: true,
              }
            : await executeTool(ctx, session, use.name, use.input);
          results.push({
            type: "tool_result",
            tool_use_id: use.id,
            content: outcome.content,
            ...(outcome.isError ? { is_error: true } : {}),
          });
          transcript.add({
            type: "tool_result",
            turn: meter.turns,
            toolUseId: use.id,
            name: use.name,
            isError: outcome.isError,
            ...("rule" in outcome && outcome.rule ? { rule: outcome.rule } : {}),
            content: outcome.content,
            durationMs: clock.now() - started,
          });
        }
        messages.push({ role: "user", content: results });
        continue;
      }
      if (cutShort) {
        const note = "Your answer was cut off at its length limit. Continue where you stopped, in smaller steps.";
        messages.push({ role: "user", content: [{ type: "text", text: note }] });
        transcript.add({ type: "user", turn: meter.turns, text: note });
        continue;
      }
      if (response.stop_reason === "pause_turn") continue;
      if (response.stop_reason === "refusal") {
        stop = "refusal";
        stopNote = "the model refused to continue";
        break;
      }
      stop = "end_turn";
      break;
    }

    // An explain run ends here, whatever stopped it: its answer is the diagnosis. The sandbox's
    // diff is never read (what bash may have changed is thrown away with the sandbox), so there
    // is nothing to check, verify or give a second round.
    if (explain) {
      const said = explanation || "(the model gave no explanation)";
      return finish("explained", stop, stop === "end_turn" ? said : `Stopped: ${stopNote}.\n\n${said}`);
    }

    // ---- verification, in code ----
    diff = await options.sandbox.diff();
    problems = checkDiff(diff, policy);
    verification = [];
    const emptyDiff = problems.some((p) => p.kind === "empty_diff");
    const rejected = problems.some((p) => p.kind !== "empty_diff");
    const declined = stop === "end_turn" && DECLINE_MARK.test(explanation);
    // A rejected change is not run (its result could not count); an empty one is, so the model
    // (and the comment) learn whether the failure still happens without any change.
    const runCommands =
      !rejected && !declined && stop !== "time" && meter.remainingMs() > 0 && (!emptyDiff || stop === "end_turn");
    if (runCommands) {
      verification = await runVerification({
        sandbox: options.sandbox,
        commands,
        workspace,
        env,
        timeoutMs: () => meter.commandTimeoutMs(),
        maxOutputBytes: limits.maxCommandOutputBytes,
        tailChars: limits.verifyTailChars,
        redact,
        shell: await session.shellPath(),
      });
    }
    transcript.add({ type: "verification", round, results: verification, problems });
    const allPass = verification.length > 0 && verification.every((v) => v.passed);
    // The model's word never counts: a change is verified when it is non-empty, in scope, keeps
    // every test, and every failing command passes — even when a budget cut the run short.
    if (problems.length === 0 && allPass) return finish("verified", stop, explanation);

    if (stop !== "end_turn") {
      const status: AgentStatus = BUDGET_STOPS.has(stop) ? "budget" : "not_fixed";
      return finish(status, stop, `Stopped: ${stopNote}.${explanation ? `\n\n${explanation}` : ""}`);
    }
    if (declined) return finish("declined", "model_declined", explanation);

    const rejection: AgentStopReason = problems.some((p) => p.kind === "out_of_scope")
      ? "out_of_scope"
      : problems.some((p) => p.kind === "test_weakened")
        ? "test_weakened"
        : emptyDiff
          ? "empty_diff"
          : "verification_failed";
    if (round >= limits.maxRounds || meter.exhausted()) {
      const failing = verification.filter((v) => !v.passed);
      const why = [
        ...problems.map((p) => p.detail),
        ...failing.map((v) => `\`${v.command}\` still fails (exit code ${v.exitCode ?? "none"})`),
        ...(emptyDiff && allPass
          ? ["the failing commands pass without any change: the failure did not reproduce"]
          : []),
      ].join("; ");
      return finish(
        "not_fixed",
        rejection,
        `The change was not accepted: ${why}.${explanation ? `\n\nThe model said: ${explanation}` : ""}`,
      );
    }
    round += 1;
    const feedback = redact(feedbackForRound(problems, verification));
    messages.push({ role: "user", content: [{ type: "text", text: feedback }] });
    transcript.add({ type: "user", turn: meter.turns, text: feedback });
    log?.info({ round, rejection }, "agent: change not accepted; one more round");
  }

  function finish(status: AgentStatus, stopReason: AgentStopReason, text: string): AgentResult {
    transcript.add({ type: "event", event: "finished", detail: `${status} (${stopReason})` });
    log?.info({ status, stopReason, turns: meter.turns, usage: meter.usage }, "agent run finished");
    return {
      status,
      stopReason,
      explanation: redact(text),
      diff,
      verification,
      problems,
      usage: meter.usage,
      turns: meter.turns,
      rounds: round,
      durationMs: meter.elapsedMs(),
      transcript: transcript.toJSON(),
    };
  }
}
