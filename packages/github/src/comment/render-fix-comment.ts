import { formatProblem } from "../config/repo-config-error.js";
import { COMMENT_MARKER } from "./comment-marker.js";
import type { ChangedFile, FixReport, Verification } from "./fix-report.js";
import { code, fence, formatCount, formatDuration, plain } from "./markdown.js";

/** GitHub refuses comment bodies over 65,536 characters. */
export const MAX_COMMENT_CHARS = 65_536;

/**
 * The PR comment: what failed, what changed, how it was verified, where the fix is, what it
 * cost; or why there is no fix and what to do. Always carries the hidden marker.
 */
export function renderFixComment(report: FixReport): string {
  const { result } = report;
  const head: string[] = [COMMENT_MARKER];
  const shortSha = report.sha.slice(0, 7);
  const commitLink = `[${code(shortSha)}](${report.webUrl}/${report.repository}/commit/${report.sha})`;

  switch (result.kind) {
    case "fixed":
      head.push(
        result.delivery.kind === "patch"
          ? `### 🔧 fixfleet has a verified fix for ${commitLink}: apply the patch below`
          : `### ✅ fixfleet fixed the failure of ${commitLink}`,
      );
      break;
    case "not_fixed":
      head.push(
        `### ⚠️ fixfleet could not fix the failure of ${commitLink}`,
        "",
        `**Why:** ${plain(result.reason)}`,
        "",
        `**What to do:** ${plain(result.advice)}`,
      );
      break;
    case "skipped":
      head.push(`### ⏸️ fixfleet did not attempt a fix for ${commitLink}`, "", `**Why:** ${plain(result.reason)}`);
      return finish(head, report, whatFailed(report));
    case "explained":
      head.push(
        `### 🔎 fixfleet's analysis of the failure of ${commitLink}`,
        "",
        `Asked for${result.requestedBy ? ` by @${result.requestedBy}` : ""} with \`/fixfleet explain\`: analysis only, nothing was changed or committed.`,
        "",
        quoteModelText(result.analysis.slice(0, 30_000)),
      );
      return finish(head, report, [
        ...whatFailed(report),
        ...(report.scope ? ["", "<details><summary>Scope</summary>", "", report.scope, "", "</details>"] : []),
      ]);
    case "invalid_config":
      head.push(
        `### ⚠️ fixfleet did not run: ${code(result.path)} is invalid`,
        "",
        "Nothing was attempted for this commit. Fix these settings on the default branch and push again:",
        "",
        ...result.problems.map((p) => `- ${plain(formatProblem(p)).replace(/\\`/g, "`")}`),
      );
      return finish(head, report, []);
    case "stale":
      head.push(
        `### ⏭️ fixfleet stopped: ${commitLink} is no longer the head of this pull request`,
        "",
        `A newer commit (${code(result.newHeadSha.slice(0, 7))}) was pushed; its CI result decides whether a fix is needed.`,
      );
      return finish(head, report, []);
  }

  const body: string[] = [];
  body.push(...whatFailed(report));
  const files = result.kind === "fixed" ? result.files : (result.files ?? []);
  const verification = result.kind === "fixed" ? result.verification : (result.verification ?? []);
  if (files.length > 0)
    body.push(
      ...whatChanged(files, result.kind === "fixed" ? "What changed" : "What the attempt changed (not committed)"),
    );
  if (verification.length > 0) body.push(...howVerified(verification));
  if (report.scope) body.push("", "<details><summary>Scope of the fix</summary>", "", report.scope, "", "</details>");
  if (result.kind === "fixed") body.push(...whereItIs(report, result.delivery));

  const patch = result.kind === "fixed" ? result.patch : result.patch;
  const tail = spendLine(report);
  const before = finish(head, report, body);
  const room = MAX_COMMENT_CHARS - before.length - tail.length - 400;
  const diff: string[] = [];
  if (patch && patch.length > 0) {
    const isForkPatch = result.kind === "fixed" && result.delivery.kind === "patch";
    if (patch.length <= room) {
      diff.push(
        "",
        isForkPatch
          ? "<details open><summary><b>Patch</b> (save as <code>fix.patch</code>, then <code>git apply fix.patch</code>)</summary>"
          : `<details><summary>Diff (${diffStat(files)})</summary>`,
        "",
        fence(patch, "diff"),
        "",
        "</details>",
      );
    } else if (isForkPatch) {
      diff.push(
        "",
        `The patch (${formatCount(patch.length)} characters) is too large for a comment; the fix could not be delivered to a fork.`,
      );
    } else {
      const cut = patch.slice(0, Math.max(0, room - 200));
      diff.push(
        "",
        `<details><summary>Diff (${diffStat(files)}, shortened)</summary>`,
        "",
        fence(`${cut.slice(0, cut.lastIndexOf("\n") + 1)}… diff shortened; the full change is on the branch`, "diff"),
        "",
        "</details>",
      );
    }
  }
  return finish(head, report, [...body, ...diff], tail);
}

/**
 * The model's words as a quote: a quoted line is never read as a `/fixfleet` command, and
 * mentions are broken so model text cannot ping people.
 */
function quoteModelText(text: string): string {
  return text
    .replace(/@(?=[A-Za-z0-9-])/g, "@\u200b")
    .split("\n")
    .map((line) => `> ${line}`)
    .join("\n");
}

function finish(head: string[], report: FixReport, body: string[], tail = spendLine(report)): string {
  return [...head, ...body, ...(tail ? ["", tail] : [])].join("\n");
}

function whatFailed(report: FixReport): string[] {
  if (report.failures.length === 0) return [];
  const out = ["", "#### What failed"];
  for (const job of report.failures) {
    const name = job.url ? `[${plain(job.name)}](${job.url})` : `**${plain(job.name)}**`;
    out.push("", `${name}${job.step ? ` · step ${code(job.step)}` : ""}`);
    if (job.keyLines.length > 0) out.push("", fence(job.keyLines.slice(0, 8).join("\n")));
  }
  return out;
}

function whatChanged(files: ChangedFile[], title: string): string[] {
  const out = ["", `#### ${title}`, "", "| file | change | lines |", "| --- | --- | --- |"];
  for (const f of files.slice(0, 50)) {
    const name = f.oldPath && f.oldPath !== f.path ? `${code(f.oldPath)} → ${code(f.path)}` : code(f.path);
    const mode = f.oldMode && f.newMode && f.oldMode !== f.newMode ? ` (mode ${f.oldMode} → ${f.newMode})` : "";
    const lines = f.binary ? "binary" : `+${f.additions} −${f.deletions}`;
    out.push(`| ${name} | ${f.status}${mode} | ${lines} |`);
  }
  if (files.length > 50) out.push(`| … and ${files.length - 50} more | | |`);
  out.push("", `${diffStat(files)}.`);
  return out;
}

function diffStat(files: ChangedFile[]): string {
  const add = files.reduce((s, f) => s + f.additions, 0);
  const del = files.reduce((s, f) => s + f.deletions, 0);
  return `${files.length} file${files.length === 1 ? "" : "s"}, +${formatCount(add)} −${formatCount(del)}`;
}

function howVerified(checks: Verification[]): string[] {
  const out = ["", "#### How it was verified", ""];
  for (const v of checks) {
    const where = v.cwd && v.cwd !== "." ? ` in ${code(v.cwd)}` : "";
    const outcome = v.ok ? "passed" : `failed (exit ${v.exitCode ?? "none: timed out or killed"})`;
    out.push(`- ${v.ok ? "✅" : "❌"} ${code(v.command)}${where} ${outcome} in ${formatDuration(v.durationMs)}`);
  }
  out.push("", "_Run in an isolated container with no network and no credentials._");
  return out;
}

function whereItIs(report: FixReport, delivery: Extract<FixReport["result"], { kind: "fixed" }>["delivery"]): string[] {
  const repoUrl = `${report.webUrl}/${report.repository}`;
  if (delivery.kind === "patch") return ["", `**Not pushed:** ${plain(delivery.reason)}`];
  const branch = delivery.branch;
  const branchLink = `[${code(branch)}](${repoUrl}/tree/${encodeBranch(branch)})`;
  const compare = `${repoUrl}/compare/${report.sha}...${encodeBranch(branch)}`;
  const commit = `[${code(delivery.commitSha.slice(0, 7))}](${repoUrl}/commit/${delivery.commitSha})`;
  if (delivery.kind === "pushed") {
    return ["", `**Pushed** as ${commit} onto ${branchLink} ([compare](${compare})).`];
  }
  return [
    "",
    `**Branch:** ${branchLink}, commit ${commit} on top of ${code(report.sha.slice(0, 7))} · [compare](${compare})`,
    "",
    `To take it: ${code(`git fetch origin ${branch} && git merge --ff-only FETCH_HEAD`)}`,
  ];
}

function spendLine(report: FixReport): string {
  const s = report.spend;
  if (!s) return "";
  const turns = s.turns === undefined ? "" : ` · ${s.turns} turn${s.turns === 1 ? "" : "s"}`;
  return `<sub>${formatCount(s.inputTokens)} input + ${formatCount(s.outputTokens)} output tokens${turns} · ${formatDuration(s.durationMs)}</sub>`;
}

function encodeBranch(branch: string): string {
  return branch.split("/").map(encodeURIComponent).join("/");
}
