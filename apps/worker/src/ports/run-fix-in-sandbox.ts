import type Anthropic from "@anthropic-ai/sdk";
import { type AgentHooks, type AgentMode, type AgentResult, type FixHint, runFixAgent } from "@fixfleet/agent";
import { protectedPaths } from "@fixfleet/github";
import {
  buildScope,
  createLocalReader,
  discoverWorkspace,
  type FailureSignals,
  mapBatch,
  renderMappingMarkdown,
  type Scope,
} from "@fixfleet/monorepo";
import { createSandbox, type DockerSandbox, LABEL_FLEET } from "@fixfleet/sandbox";
import type { Logger } from "@fixfleet/shared";
import type Docker from "dockerode";
import type { ChangedFileContent, FixAttempt, FixContext } from "./fix-context.js";
import { reproduceFailure } from "./reproduce-failure.js";

export interface SandboxFixDeps {
  docker: Docker;
  anthropic: Anthropic;
  model: string;
  /** SANDBOX_IMAGE; a repository's config may name another image (which must exist on the engine). */
  sandboxImage: string;
  workerId: string;
  fleetId: string;
  sandboxTtlMs: number;
  /** SANDBOX_WORKSPACE: the workspace volume on disk or on a size-capped tmpfs. */
  workspace?: "disk" | "memory";
  redact: (text: string) => string;
  logger: Logger;
  hooks?: AgentHooks;
  /** `explain`: analysis only (`/fixfleet explain`); nothing the agent does is kept. */
  mode?: AgentMode;
  /** A fix that worked for the same failure signature in this repository before. */
  hint?: FixHint | undefined;
  /** Told how long the sandbox lived, for the sandbox-seconds metric. */
  onSandboxSeconds?: (seconds: number) => void;
}

const MiB = 1024 * 1024;
/** A changed file bigger than this is not published through the API (GitHub's blob limit is 100 MB). */
const MAX_PUBLISHED_FILE_BYTES = 20 * MiB;

/**
 * The fix stage on a local checkout: scope the batch to its packages, copy the checkout into a
 * fresh sandbox, make sure the failure reproduces, let the agent fix it, verify, and collect the
 * change with its contents for publishing. The sandbox never outlives this call.
 */
export async function runFixInSandbox(
  context: FixContext,
  checkoutDir: string,
  deps: SandboxFixDeps,
  signal: AbortSignal,
): Promise<FixAttempt> {
  const started = Date.now();
  const config = context.repoConfig;
  const { scope, scopeMarkdown } = await scopeBatch(context, checkoutDir);
  const commands = failingCommands(context, scope);
  if (commands.length === 0) {
    return notFixable(
      "no_command",
      "there is no command to reproduce the failure with",
      "add `command` to the failure report your CI step sends, or `scopes[].verify` to .github/fixfleet.yml",
      scopeMarkdown,
      started,
    );
  }

  let sandbox: DockerSandbox | undefined;
  const abort = () => void sandbox?.destroy().catch(() => {});
  signal.addEventListener("abort", abort);
  try {
    sandbox = await createSandbox(deps.docker, {
      image: config.sandbox.image ?? deps.sandboxImage,
      jobId: context.batchId,
      workerId: deps.workerId,
      ttlMs: deps.sandboxTtlMs,
      ...(deps.workspace ? { workspace: deps.workspace } : {}),
      limits: {
        memoryBytes: config.sandbox.memory_mb * MiB,
        cpus: config.sandbox.cpus,
        pidsLimit: config.sandbox.pids,
      },
      labels: { "fixfleet.repo": context.repository.fullName, [LABEL_FLEET]: deps.fleetId },
    });
    await sandbox.copyIn(checkoutDir);

    const reproduction = await reproduceFailure(sandbox, commands, {
      redact: deps.redact,
      timeoutMs: config.limits.minutes * 60_000,
    });
    if (reproduction.kind === "flaky") {
      return notFixable(
        "flaky",
        `the failure did not reproduce: ${reproduction.summary}`,
        "this looks flaky or environmental; re-run the failed jobs",
        scopeMarkdown,
        started,
      );
    }

    // A report from a CI step may carry no log worth fetching; the reproduction's output stands in.
    const jobs = context.jobs.length > 0 ? context.jobs : [{ name: "reproduction", logExcerpt: "", keyLines: [] }];
    const result = await runFixAgent({
      anthropic: deps.anthropic,
      model: deps.model,
      sandbox,
      failure: {
        jobs: jobs.map((j) => ({ name: j.name, logExcerpt: j.logExcerpt || reproduction.output })),
        commands,
        scope,
        changedFiles: context.changedFiles,
        repoConfig: config,
        repository: context.repository.fullName,
        sha: context.sha,
        ...(context.pr ? { pr: context.pr.number } : {}),
        ...(deps.hint ? { hint: deps.hint } : {}),
      },
      ...(deps.mode ? { mode: deps.mode } : {}),
      budgets: {
        turns: config.limits.turns,
        inputTokens: config.limits.tokens,
        wallMs: config.limits.minutes * 60_000,
      },
      redact: deps.redact,
      protectedPaths: protectedPaths(config),
      ...(deps.hooks ? { hooks: deps.hooks } : {}),
      logger: deps.logger,
    });
    return await toAttempt(result, sandbox, config.limits, scopeMarkdown, started);
  } finally {
    signal.removeEventListener("abort", abort);
    await sandbox
      ?.destroy()
      .catch((error) => deps.logger.warn({ err: error }, "could not destroy the sandbox; the reaper will"));
    deps.onSandboxSeconds?.((Date.now() - started) / 1000);
  }
}

async function scopeBatch(context: FixContext, checkoutDir: string): Promise<{ scope: Scope; scopeMarkdown: string }> {
  const workspace = await discoverWorkspace(createLocalReader(checkoutDir));
  const failures: FailureSignals[] = context.reports.map((stored) => {
    const job = context.jobs.find((j) => j.name === stored.report.job);
    return {
      ...(stored.report.job ? { job: stored.report.job } : {}),
      ...(stored.report.command ? { command: stored.report.command } : {}),
      ...(stored.report.paths ? { paths: stored.report.paths } : {}),
      ...(job ? { log: job.logExcerpt } : {}),
    };
  });
  for (const job of context.jobs) {
    if (!failures.some((f) => f.job === job.name)) failures.push({ job: job.name, log: job.logExcerpt });
  }
  const config = context.repoConfig;
  const mapping = mapBatch({ workspace, failures, changedFiles: context.changedFiles, config });
  const scope = buildScope({ workspace, mapping, config, failures });
  return { scope, scopeMarkdown: renderMappingMarkdown(mapping) };
}

/** The reports' commands first (what CI ran); else the scope's verify commands. */
function failingCommands(context: FixContext, scope: Scope): { command: string; cwd: string }[] {
  if (context.commands.length > 0) return context.commands.map((command) => ({ command, cwd: "." }));
  const seen = new Set<string>();
  return scope.units
    .flatMap((u) => u.verify)
    .filter((v) => !seen.has(`${v.cwd}\0${v.command}`) && seen.add(`${v.cwd}\0${v.command}`))
    .map((v) => ({ command: v.command, cwd: v.cwd }));
}

async function toAttempt(
  result: AgentResult,
  sandbox: DockerSandbox,
  limits: { files: number; lines: number },
  scopeMarkdown: string,
  started: number,
): Promise<FixAttempt> {
  const base = {
    stopReason: result.stopReason,
    patch: result.diff.patch,
    verification: result.verification.map((v) => ({
      command: v.command,
      cwd: v.cwd,
      ok: v.passed,
      exitCode: v.exitCode,
      durationMs: v.durationMs,
      outputTail: v.outputTail,
    })),
    usage: {
      inputTokens: result.usage.inputTokens,
      outputTokens: result.usage.outputTokens,
      cacheReadInputTokens: result.usage.cacheReadInputTokens,
      cacheCreationInputTokens: result.usage.cacheCreationInputTokens,
    },
    turns: result.turns,
    durationMs: Date.now() - started,
    scopeMarkdown,
  };
  const files: ChangedFileContent[] = result.diff.files.map((f) => ({
    path: f.path,
    oldPath: f.oldPath,
    // git may say "copied" or "type changed"; for publishing both are a new content at a path.
    status: (["added", "modified", "deleted", "renamed"] as const).find((k) => k === f.status) ?? "modified",
    additions: f.additions,
    deletions: f.deletions,
    oldMode: f.oldMode,
    newMode: f.newMode,
    binary: f.binary,
  }));
  if (result.status === "explained") {
    return {
      ...base,
      status: "explained",
      reason: result.explanation,
      analysis: result.explanation,
      files: [],
      advice: "",
    };
  }
  if (result.status !== "verified") {
    return {
      ...base,
      status: result.status === "declined" ? "not_fixable" : "failed",
      reason: result.explanation,
      files,
      advice: adviceFor(result),
    };
  }
  const lines = files.reduce((n, f) => n + f.additions + f.deletions, 0);
  if (files.length > limits.files || lines > limits.lines) {
    return {
      ...base,
      status: "not_fixable",
      reason: `the fix changes ${files.length} files and ${lines} lines, over the limits of ${limits.files} files and ${limits.lines} lines`,
      files,
      advice: "raise `limits.files` / `limits.lines` in .github/fixfleet.yml to accept larger fixes",
    };
  }
  for (const file of files) {
    if (file.status === "deleted") continue;
    const content = await sandbox.readFile(file.path, { maxBytes: MAX_PUBLISHED_FILE_BYTES });
    file.contentBase64 = content.toString("base64");
  }
  return { ...base, status: "verified", reason: result.explanation, files, advice: "" };
}

function adviceFor(result: AgentResult): string {
  switch (result.stopReason) {
    case "turns":
    case "input_tokens":
    case "output_tokens":
    case "time":
      return "the fix ran out of its limits; raise `limits` in .github/fixfleet.yml, or fix it by hand";
    case "budget":
      return "a spending budget was reached; re-run the failed jobs after it resets to try again";
    case "out_of_scope":
      return "the change it needed lies outside the failing packages; widen `scopes` in .github/fixfleet.yml if that is intended";
    case "test_weakened":
      return "the only change that passed weakened or deleted a test; this needs a person";
    case "model_declined":
      return "the model judged this out of scope, flaky or infrastructural; see its explanation";
    default:
      return "the failing commands still fail after the attempt; see the verification output";
  }
}

export function notFixable(
  stopReason: string,
  reason: string,
  advice: string,
  scopeMarkdown: string,
  started: number,
): FixAttempt {
  return {
    status: "not_fixable",
    reason,
    stopReason,
    files: [],
    patch: "",
    verification: [],
    usage: { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 },
    turns: 0,
    durationMs: Date.now() - started,
    scopeMarkdown,
    advice,
  };
}
