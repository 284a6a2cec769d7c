import type Anthropic from "@anthropic-ai/sdk";
import {
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
  startCheckRun,
  upsertFixComment,
} from "@fixfleet/github";
import { closeBatch, type FixJobData, type Logger, type WorkerConfig } from "@fixfleet/shared";
import { type BudgetLedger, describeRefusal, failureSignature, type SignatureStore } from "@fixfleet/triage";
import type Docker from "dockerode";
import type { Redis } from "ioredis";
import type { WorkerMetrics } from "../metrics/worker-metrics.js";
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
}

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
  let botLogin: Promise<string | undefined> | undefined;
  const ourLogin = () => {
    botLogin ??= github.app.octokit
      .request("GET /app")
      .then(({ data }) => (data?.slug ? `${data.slug}[bot]` : undefined))
      .catch(() => {
        botLogin = undefined;
        return undefined;
      });
    return botLogin;
  };
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
      const triaged = await triage(ctx);
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
        const attempt = await fixInSandbox(ctx, signal, budget.hooks);
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
      await report(ctx, await resultFor(ctx, outcome, attempt), attempt);
    },
  };

  /** Decides before any clone or model call whether this failure is fixfleet's to fix. */
  async function triage(ctx: FixContext): Promise<FixContext> {
    const excerpts = ctx.jobs.map((j) => j.logExcerpt).filter((t) => t.length > 0);
    const signature = excerpts.length > 0 ? failureSignature(excerpts).hash : undefined;
    const withSignature = { ...ctx, signature };
    if (signature && ctx.pr) {
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
    if (ctx.pr) {
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
  ): Promise<FixAttempt> {
    const handle = handleOf(ctx);
    const { data: repo } = await handle.octokit.rest.repos.get({ owner: handle.owner, repo: handle.repo });
    const clone = await cloneRepository({
      cloneUrl: repo.clone_url,
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
          redact: deps.redact,
          logger,
          onSandboxSeconds: (s) => deps.metrics.sandboxSeconds.inc(s),
          hooks,
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

function commitMessage(ctx: FixContext, attempt: FixAttempt): string {
  const jobs = ctx.jobs.map((j) => j.name).join(", ") || "CI";
  const first = attempt.reason.split("\n")[0]?.slice(0, 200) ?? "";
  return `fixfleet: fix ${jobs} failing on ${ctx.sha.slice(0, 7)}\n\n${first}\n\nVerified by re-running: ${attempt.verification
    .map((v) => v.command)
    .join(", ")}`;
}
