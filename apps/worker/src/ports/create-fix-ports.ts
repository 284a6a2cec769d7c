import type Anthropic from "@anthropic-ai/sdk";
import type { AgentHooks, FixHint } from "@fixfleet/agent";
import {
  appBotLogin,
  COMMENT_MARKER,
  checkHeadCurrent,
  classifyGitHubError,
  cloneRepository,
  completeCheckRun,
  type FixReport,
  type FixResult,
  fixBranchName,
  type GitHubClient,
  publishCommit,
  type RepoHandle,
  renderCheckRun,
  renderFixComment,
  replyOnPullRequest,
  startCheckRun,
  upsertFixComment,
} from "@fixfleet/github";
import { closeBatch, FIX_COMMIT_TRAILER, type FixJobData, type Logger, type WorkerConfig } from "@fixfleet/shared";
import { type BudgetLedger, describeRefusal, failureSignature, type SignatureStore } from "@fixfleet/triage";
import type Docker from "dockerode";
import type { Redis } from "ioredis";
import type { PrStateStore } from "../control/pr-state-store.js";
import type { WorkerMetrics } from "../metrics/worker-metrics.js";
import type { FixRecords } from "../outcomes/fix-records.js";
import type { FixPorts } from "../pipeline/fix-ports.js";
import type { Outcome } from "../pipeline/outcome.js";
import { createBudgetHooks } from "./budget-hooks.js";
import { failsOnBase } from "./fails-on-base.js";
import type { FixAttempt, FixContext } from "./fix-context.js";
import { gatherContext, isCurrentHead } from "./gather-context.js";
import { notFixable, runFixInSandbox } from "./run-fix-in-sandbox.js";
import { toFileChanges } from "./to-file-changes.js";

export interface PublishResult {
  branch?: string | undefined;
  commitSha?: string | undefined;
  commentUrl?: string | undefined;
}

export interface CreateFixPortsDeps {
  config: WorkerConfig;
  redis: Redis;
  prefix: string;
  docker: Docker;
  github: GitHubClient;
  anthropic: Anthropic;
  workerId: string;
  logger: Logger;
  redact: (text: string) => string;
  metrics: WorkerMetrics;
  /** Money budgets, reserved before every model turn. */
  ledger: BudgetLedger;
  /** Failure signatures and their outcomes, per repository and pull request. */
  signatures: SignatureStore;
  /** What people set on a pull request with commands (stop), and its last failure (for retry). */
  prState: PrStateStore;
  /** Published fixes, whose outcome (accepted / rejected) later events decide. */
  fixRecords: FixRecords;
}

/** The label that turns fixfleet off for a pull request. */
export const SKIP_LABEL = "fixfleet:skip";

/**
 * The real outside world of a fix job: Redis batches, GitHub as the App, the Docker sandbox
 * and Claude. Every write to GitHub here is idempotent (branch by name and tree, comment by
 * marker, check run by external id), so a retried stage changes nothing twice.
 */
export function createFixPorts(deps: CreateFixPortsDeps): FixPorts<FixContext, FixAttempt, PublishResult> {
  const { github, logger } = deps;
  const handleOf = (ctx: { installationId: number; repository: { owner: string; name: string } }): RepoHandle => ({
    octokit: github.forInstallation(ctx.installationId),
    owner: ctx.repository.owner,
    repo: ctx.repository.name,
  });
  const ourLogin = appBotLogin(github);
  const secrets = () => [...github.secrets(), deps.config.anthropic.apiKey, deps.config.github.privateKey];

  async function report(ctx: FixContext, result: FixResult, attempt?: FixAttempt): Promise<string | undefined> {
    const fixReport: FixReport = {
      repository: ctx.repository.fullName,
      webUrl: ctx.webUrl,
      sha: ctx.sha,
      pr: ctx.pr?.number,
      failures: ctx.jobs.map((j) => ({ name: j.name, step: j.step, url: j.url, keyLines: j.keyLines })),
      result,
      ...(attempt?.scopeMarkdown ? { scope: attempt.scopeMarkdown } : {}),
      ...(attempt && attempt.turns > 0
        ? {
            spend: {
              inputTokens:
                attempt.usage.inputTokens + attempt.usage.cacheReadInputTokens + attempt.usage.cacheCreationInputTokens,
              outputTokens: attempt.usage.outputTokens,
              durationMs: attempt.durationMs,
              turns: attempt.turns,
            },
          }
        : {}),
    };
    const handle = handleOf(ctx);
    let url: string | undefined;
    if (ctx.pr) {
      const login = await ourLogin();
      url = (
        await upsertFixComment(handle, ctx.pr.number, renderFixComment(fixReport), login ? { botLogin: login } : {})
      ).url;
    }
    const check = await startCheckRun(handle, { headSha: ctx.sha, externalId: ctx.batchId });
    await completeCheckRun(handle, check.id, renderCheckRun(fixReport));
    return url;
  }

  /**
   * `/fixfleet explain` answers with a comment of its own: the one fixfleet comment keeps the
   * state of the fix, which an analysis must not overwrite. Posted once per run.
   */
  async function postExplanation(ctx: FixContext, result: FixResult, attempt?: FixAttempt): Promise<void> {
    if (!ctx.pr) return;
    const key = `${deps.prefix}:explained:${ctx.batchId}`;
    if (await deps.redis.exists(key)) return;
    const body = renderFixComment({
      repository: ctx.repository.fullName,
      webUrl: ctx.webUrl,
      sha: ctx.sha,
      pr: ctx.pr.number,
      failures: ctx.jobs.map((j) => ({ name: j.name, step: j.step, url: j.url, keyLines: j.keyLines })),
      result,
      ...(attempt?.scopeMarkdown ? { scope: attempt.scopeMarkdown } : {}),
    }).replace(`${COMMENT_MARKER}\n`, "");
    await replyOnPullRequest(handleOf(ctx), ctx.pr.number, body);
    await deps.redis.set(key, "1", "EX", 7 * 86_400);
  }

  return {
    async gatherContext(job: FixJobData) {
      const ctx = await gatherContext(job, {
        redis: deps.redis,
        prefix: deps.prefix,
        github,
        secrets: secrets(),
        logger,
      });
      if (ctx.skip) return ctx;
      const steered = await steering(ctx);
      if (steered.skip) return steered;
      const triaged = await triage(steered);
      if (!triaged.skip) await startCheckRun(handleOf(ctx), { headSha: ctx.sha, externalId: ctx.batchId });
      return triaged;
    },

    async attemptFix(ctx, signal) {
      const budget = createBudgetHooks({
        ledger: deps.ledger,
        subjects: {
          fix: ctx.batchId,
          ...(ctx.pr ? { pr: `${ctx.repository.fullName}#${ctx.pr.number}` } : {}),
          repo: ctx.repository.fullName,
          installation: ctx.installationId,
        },
        model: deps.config.anthropic.model,
      });
      const hint = await hintFor(ctx);
      const refusal = await budget.precheck();
      if (refusal) {
        return notFixable(
          "budget",
          describeRefusal(refusal),
          "re-run the failed jobs once the budget resets to try again",
          "",
          Date.now(),
        );
      }
      try {
        const stopCheck = ctx.pr && !ctx.trigger ? ctx.pr.number : undefined;
        const hooks: AgentHooks = {
          ...budget.hooks,
          // `/fixfleet stop` while a fix runs ends it at the next turn, before more is spent.
          beforeTurn: async (state) => {
            if (stopCheck !== undefined) {
              const stop = await deps.prState.stopped(ctx.repository.fullName, stopCheck);
              if (stop) return { ok: false, reason: stoppedReason(stop.by) };
            }
            return budget.hooks.beforeTurn ? budget.hooks.beforeTurn(state) : { ok: true };
          },
        };
        const ran = await fixInSandbox(ctx, signal, hooks, hint);
        const stoppedBy =
          stopCheck !== undefined && ran.status !== "verified"
            ? await deps.prState.stopped(ctx.repository.fullName, stopCheck)
            : undefined;
        const attempt: FixAttempt = stoppedBy
          ? {
              ...ran,
              status: "not_fixable",
              reason: stoppedReason(stoppedBy.by),
              advice: "comment `/fixfleet retry` on the pull request to resume",
            }
          : ran;
        const costUsd = budget.spent().usdMicros / 1e6;
        deps.metrics.spendUsd.inc(costUsd);
        return { ...attempt, costUsd };
      } finally {
        await budget.release();
      }
    },

    isCurrentHead: (ctx) => isCurrentHead(ctx, github),

    async publish(ctx, attempt) {
      const published = await publishFix(ctx, attempt);
      const mode = ctx.repoConfig.mode;
      if (published.commitSha && !ctx.pr?.isFork) {
        await deps.fixRecords.published({
          batchId: ctx.batchId,
          repository: ctx.repository.fullName,
          ...(ctx.pr ? { pr: ctx.pr.number, headRef: ctx.pr.headRef } : {}),
          mode: mode === "push" && ctx.pr ? "push" : mode === "pull_request" && ctx.pr ? "pull_request" : "branch",
          ...(published.branch ? { branch: published.branch } : {}),
          commitSha: published.commitSha,
          ...(ctx.signature ? { signature: ctx.signature } : {}),
          publishedAt: Date.now(),
        });
      }
      if (ctx.signature) {
        await deps.signatures.record(ctx.repository.fullName, {
          signature: ctx.signature,
          outcome: "fixed",
          at: Date.now(),
          pr: ctx.pr?.number,
          branch: published.branch,
          commitSha: published.commitSha,
          summary: attempt.files.map((f) => `${f.status} ${f.path} (+${f.additions} -${f.deletions})`).join("\n"),
        });
      }
      return published;
    },

    async reportOutcome(job, ctx, outcome, attempt) {
      await closeBatch(deps.redis, deps.prefix, job.batchId, { outcome: outcome.kind }).catch(() => false);
      if (!ctx) {
        // Nothing is known of the repository (it may be gone): there is nowhere to say it.
        logger.warn({ batch: job.batchId, outcome }, "fix ended before its context was known; nothing posted");
        return;
      }
      if (attempt?.stopReason === "flaky") await rerunOnce(ctx);
      if (outcome.kind === "explained" && ctx.pr) {
        await postExplanation(ctx, await resultFor(ctx, outcome, attempt), attempt);
        return;
      }
      await report(ctx, await resultFor(ctx, outcome, attempt), attempt);
    },
  };

  /**
   * What people said on the pull request: the `fixfleet:skip` label turns it off; `/fixfleet
   * stop` stops fixes until someone asks again (a run a person asked for still goes). The
   * failure is remembered as the one `retry` and `explain` run on.
   */
  async function steering(ctx: FixContext): Promise<FixContext> {
    if (!ctx.pr) return ctx;
    const repo = ctx.repository.fullName;
    // Remembered even when skipped below: a later `/fixfleet retry` runs on the newest failure.
    if (ctx.reports.length > 0) {
      await deps.prState.rememberFailure(repo, ctx.pr.number, {
        batchKey: ctx.batchId.slice(0, ctx.batchId.lastIndexOf("#")),
        sha: ctx.sha,
        ...(ctx.ref ? { ref: ctx.ref } : {}),
        installationId: ctx.installationId,
        repository: { owner: ctx.repository.owner, name: ctx.repository.name, id: ctx.repository.id },
        reports: ctx.reports,
      });
    }
    if (ctx.pr.labels?.includes(SKIP_LABEL)) {
      return {
        ...ctx,
        skip: {
          kind: "skipped",
          reason: `the pull request has the \`${SKIP_LABEL}\` label; remove it to let fixfleet fix it`,
        },
      };
    }
    const stopped = ctx.trigger ? undefined : await deps.prState.stopped(repo, ctx.pr.number);
    if (stopped) {
      return {
        ...ctx,
        skip: {
          kind: "skipped",
          reason: `${stoppedReason(stopped.by)}; comment \`/fixfleet retry\` to resume`,
        },
      };
    }
    return ctx;
  }

  /** A fix that worked for the same failure in this repository before, offered to the model. */
  async function hintFor(ctx: FixContext): Promise<FixHint | undefined> {
    if (!ctx.signature) return undefined;
    const record = await deps.signatures.hint(ctx.repository.fullName, ctx.signature).catch(() => undefined);
    if (!record?.summary) return undefined;
    return {
      summary: record.summary,
      at: record.at,
      ...(record.pr !== undefined ? { pr: record.pr } : {}),
      ...(record.branch ? { branch: record.branch } : {}),
      ...(record.commitSha ? { commitSha: record.commitSha } : {}),
    };
  }

  /** Decides before any clone or model call whether this failure is fixfleet's to fix. */
  async function triage(ctx: FixContext): Promise<FixContext> {
    const excerpts = ctx.jobs.map((j) => j.logExcerpt).filter((t) => t.length > 0);
    const signature = excerpts.length > 0 ? failureSignature(excerpts).hash : undefined;
    const withSignature = { ...ctx, signature };
    // A person asked for this run: the loop guard stands aside (it exists to stop fixfleet, not them).
    if (signature && ctx.pr && !ctx.trigger) {
      const prior = await deps.signatures.publishedOnPr(ctx.repository.fullName, ctx.pr.number, signature);
      if (prior) {
        await deps.signatures.record(ctx.repository.fullName, { ...prior, outcome: "did_not_hold", at: Date.now() });
        return {
          ...withSignature,
          skip: {
            kind: "not_fixable",
            reason: `the previous fix${prior.branch ? ` (${prior.branch}${prior.commitSha ? ` at ${prior.commitSha.slice(0, 7)}` : ""})` : ""} did not hold: the same failure came back, so fixfleet stops here to avoid a loop`,
          },
        };
      }
    }
    if (ctx.pr && ctx.trigger?.command !== "explain") {
      const onBase = await failsOnBase(
        handleOf(ctx),
        ctx.pr.baseSha,
        ctx.jobs.map((j) => j.name),
      );
      if (onBase.length > 0) {
        return {
          ...withSignature,
          skip: {
            kind: "not_fixable",
            reason: `${onBase.map((n) => `\`${n}\``).join(", ")} also fails on the base branch (${ctx.pr.baseRef} at ${ctx.pr.baseSha.slice(0, 7)}): the failure is pre-existing, not caused by this pull request`,
          },
        };
      }
    }
    return withSignature;
  }

  /** Flaky or environmental: re-run the failed jobs through the Actions API, once per commit. */
  async function rerunOnce(ctx: FixContext): Promise<void> {
    const key = `${deps.prefix}:rerun:${ctx.repository.fullName.toLowerCase()}@${ctx.sha}`;
    if ((await deps.redis.set(key, "1", "EX", 7 * 86_400, "NX")) !== "OK") return;
    const handle = handleOf(ctx);
    for (const runId of new Set(ctx.jobs.map((j) => j.runId).filter((id): id is number => id !== undefined))) {
      await handle.octokit.rest.actions
        .reRunWorkflowFailedJobs({ owner: handle.owner, repo: handle.repo, run_id: runId })
        .catch((error) => logger.warn({ err: error, runId }, "could not re-run the failed jobs"));
    }
  }

  async function fixInSandbox(
    ctx: FixContext,
    signal: AbortSignal,
    hooks: ReturnType<typeof createBudgetHooks>["hooks"],
    hint: FixHint | undefined,
  ): Promise<FixAttempt> {
    const handle = handleOf(ctx);
    // Contexts stored before the clone URL was carried in them still read it here.
    const cloneUrl =
      ctx.cloneUrl ?? (await handle.octokit.rest.repos.get({ owner: handle.owner, repo: handle.repo })).data.clone_url;
    const clone = await cloneRepository({
      cloneUrl,
      sha: ctx.sha,
      token: async () => (await github.tokens.get(ctx.installationId)).token,
    });
    try {
      const copy = await clone.copyForSandbox();
      const attempt = await runFixInSandbox(
        ctx,
        copy,
        {
          docker: deps.docker,
          anthropic: deps.anthropic,
          model: deps.config.anthropic.model,
          sandboxImage: deps.config.sandboxImage,
          workerId: deps.workerId,
          fleetId: deps.config.fleetId,
          sandboxTtlMs: deps.config.sandboxTtlMs,
          workspace: deps.config.sandboxWorkspace,
          redact: deps.redact,
          logger,
          onSandboxSeconds: (s) => deps.metrics.sandboxSeconds.inc(s),
          hooks,
          ...(ctx.trigger?.command === "explain" ? { mode: "explain" as const } : {}),
          hint,
        },
        signal,
      );
      deps.metrics.modelTokens.inc({ kind: "input" }, attempt.usage.inputTokens);
      deps.metrics.modelTokens.inc({ kind: "output" }, attempt.usage.outputTokens);
      deps.metrics.modelTokens.inc({ kind: "cache_read" }, attempt.usage.cacheReadInputTokens);
      deps.metrics.modelTokens.inc({ kind: "cache_creation" }, attempt.usage.cacheCreationInputTokens);
      return attempt;
    } finally {
      await clone.cleanup();
    }
  }

  async function publishFix(ctx: FixContext, attempt: FixAttempt): Promise<PublishResult> {
    const handle = handleOf(ctx);
    const branch = fixBranchName({ pr: ctx.pr?.number, sha: ctx.sha });
    const files = attempt.files.map(({ contentBase64: _content, ...file }) => file);
    let delivery: Extract<FixResult, { kind: "fixed" }>["delivery"];
    let commitSha: string | undefined;
    const mode = ctx.repoConfig.mode;
    if (ctx.pr?.isFork) {
      delivery = { kind: "patch", reason: "the pull request comes from a fork, where the App cannot push" };
    } else if (mode === "push" && ctx.pr) {
      // Onto the failing branch itself, as a fast-forward of the head that failed: never forced.
      const commit = await publishCommit(handle, {
        baseSha: ctx.sha,
        changes: toFileChanges(attempt.files),
        message: commitMessage(ctx, attempt),
        branch: ctx.pr.headRef,
        force: false,
      });
      commitSha = commit.commitSha;
      delivery = { kind: "pushed", branch: ctx.pr.headRef, commitSha: commit.commitSha };
    } else {
      const commit = await publishCommit(handle, {
        baseSha: ctx.sha,
        changes: toFileChanges(attempt.files),
        message: commitMessage(ctx, attempt),
        branch,
        force: true,
      });
      commitSha = commit.commitSha;
      delivery = { kind: "branch", branch, commitSha: commit.commitSha };
      if (mode === "pull_request" && ctx.pr) await proposeFix(handle, branch, ctx.pr.headRef, ctx, attempt);
    }
    const commentUrl = await report(
      ctx,
      { kind: "fixed", files, patch: attempt.patch, verification: attempt.verification, delivery },
      attempt,
    );
    await closeBatch(deps.redis, deps.prefix, ctx.batchId, { outcome: "fixed" });
    return { branch: commitSha ? branch : undefined, commitSha, commentUrl };
  }

  /** `mode: pull_request`: the fix branch proposed as a PR into the failing branch, once. */
  async function proposeFix(handle: RepoHandle, branch: string, base: string, ctx: FixContext, attempt: FixAttempt) {
    try {
      await openProposal(handle, branch, base, ctx, attempt);
    } catch (error) {
      throw classifyGitHubError(error, `proposing ${branch} as a pull request into ${base}`);
    }
  }

  async function openProposal(handle: RepoHandle, branch: string, base: string, ctx: FixContext, attempt: FixAttempt) {
    const open = await handle.octokit.rest.pulls.list({
      owner: handle.owner,
      repo: handle.repo,
      head: `${handle.owner}:${branch}`,
      base,
      state: "open",
    });
    if (open.data.length > 0) return;
    await handle.octokit.rest.pulls.create({
      owner: handle.owner,
      repo: handle.repo,
      head: branch,
      base,
      title: `fixfleet: fix ${ctx.jobs.map((j) => j.name).join(", ") || "CI"} of #${ctx.pr?.number}`,
      body: `${attempt.reason.slice(0, 4_000)}\n\nVerified by re-running ${attempt.verification.map((v) => `\`${v.command}\``).join(", ")}.`,
    });
  }

  async function resultFor(ctx: FixContext, outcome: Outcome, attempt?: FixAttempt): Promise<FixResult> {
    if (ctx.configError)
      return { kind: "invalid_config", path: ctx.configError.path, problems: ctx.configError.problems };
    if (outcome.kind === "skipped") return { kind: "skipped", reason: outcome.reason };
    if (outcome.kind === "explained") {
      return {
        kind: "explained",
        analysis: attempt?.analysis ?? outcome.reason,
        ...(ctx.trigger ? { requestedBy: ctx.trigger.by } : {}),
      };
    }
    if (outcome.kind === "stale" && ctx.pr) {
      const head = await checkHeadCurrent(handleOf(ctx), ctx.pr.number, ctx.sha);
      return { kind: "stale", newHeadSha: head.headSha };
    }
    const advice =
      attempt?.advice ||
      (outcome.kind === "failed"
        ? "fixfleet gave up after retrying; re-run the failed jobs to try again once the cause is fixed"
        : "nothing to do on fixfleet's side");
    return {
      kind: "not_fixed",
      reason: outcome.reason,
      advice,
      ...(attempt && attempt.files.length > 0
        ? {
            files: attempt.files.map(({ contentBase64: _c, ...f }) => f),
            patch: attempt.patch,
            verification: attempt.verification,
          }
        : {}),
    };
  }
}

function stoppedReason(by: string): string {
  return `@${by} stopped fixfleet on this pull request with \`/fixfleet stop\``;
}

function commitMessage(ctx: FixContext, attempt: FixAttempt): string {
  const jobs = ctx.jobs.map((j) => j.name).join(", ") || "CI";
  const first = attempt.reason.split("\n")[0]?.slice(0, 200) ?? "";
  // The trailer lets a push or merge carrying this commit (even cherry-picked) name its fix.
  return `fixfleet: fix ${jobs} failing on ${ctx.sha.slice(0, 7)}\n\n${first}\n\nVerified by re-running: ${attempt.verification
    .map((v) => v.command)
    .join(", ")}\n\n${FIX_COMMIT_TRAILER}: ${ctx.batchId}`;
}
