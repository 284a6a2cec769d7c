#!/usr/bin/env node
// fixfleet's CI step: builds the failure report (CONTRACT.md §4) from the runner's environment
// and sends it either as a repository_dispatch (workflow token) or to POST /v1/failures (OIDC).
// Plain Node 18+, no dependencies: it runs from the action's folder without an install step.
// It always exits 0: a fixfleet outage must never turn a CI run red or hide its real failure.
import { appendFileSync, readFileSync } from "node:fs";

const SHA = /^[0-9a-f]{40}$/;

const env = process.env;

main(env).then(
  (sent) => finish(env, sent),
  (error) => {
    warn(`could not report the failure: ${error instanceof Error ? error.message : String(error)}`);
    finish(env, false);
  },
);

async function main(env) {
  const inputs = readInputs(env);
  const event = readEvent(env.GITHUB_EVENT_PATH);
  const report = buildReport(env, event, inputs);
  const problem = checkReport(report);
  if (problem) {
    warn(`not reporting: ${problem}`);
    return false;
  }
  const repository = env.GITHUB_REPOSITORY ?? "";
  if (!/^[^/\s]+\/[^/\s]+$/.test(repository)) {
    warn("not reporting: GITHUB_REPOSITORY is not set (is this running in GitHub Actions?)");
    return false;
  }
  if (inputs.endpoint) return sendToIngest({ env, inputs, report, repository });
  return sendDispatch({ env, inputs, report, repository });
}

function readInputs(env) {
  const int = (value, fallback, min) => {
    const n = Number.parseInt(value ?? "", 10);
    return Number.isFinite(n) && n >= min ? n : fallback;
  };
  return {
    endpoint: (env.INPUT_ENDPOINT ?? "").trim(),
    token: (env.INPUT_TOKEN ?? "").trim(),
    eventType: (env.INPUT_EVENT_TYPE ?? "").trim() || "fixfleet",
    audience: (env.INPUT_AUDIENCE ?? "").trim() || "fixfleet",
    command: (env.INPUT_COMMAND ?? "").trim(),
    paths: (env.INPUT_PATHS ?? "")
      .split(/[\n,]/)
      .map((p) => p.trim())
      .filter(Boolean),
    job: (env.INPUT_JOB ?? "").trim(),
    timeoutMs: int(env.INPUT_TIMEOUT_SECONDS, 10, 1) * 1000,
    retries: int(env.INPUT_RETRIES, 2, 0),
    // Only tests shorten the backoff; a runner never sets it.
    backoffMs: int(env.FIXFLEET_BACKOFF_MS, 1000, 0),
  };
}

function readEvent(path) {
  if (!path) return {};
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    warn(`cannot read the event payload at ${path} (${error.code ?? error.message}); using the environment only`);
    return {};
  }
}

/**
 * The report of the run that failed. For `pull_request` runs GITHUB_SHA and GITHUB_REF name the
 * merge commit refs/pull/N/merge, which no one can push a fix onto: the PR's head is used
 * instead. A `workflow_run` workflow reports the run that triggered it (typically CI of a fork's
 * pull request, which cannot report itself), not its own.
 */
function buildReport(env, event, inputs) {
  const report = { v: 1 };
  const pr = event.pull_request;
  const run = event.workflow_run;
  if (run && typeof run === "object") {
    report.run_id = run.id;
    report.run_attempt = run.run_attempt;
    report.sha = run.head_sha;
    if (run.head_branch) report.ref = `refs/heads/${run.head_branch}`;
    const sameRepoPr = (run.pull_requests ?? []).find((p) => p?.number);
    if (sameRepoPr) report.pr = sameRepoPr.number;
    if (inputs.job) report.job = inputs.job;
  } else {
    report.run_id = toInt(env.GITHUB_RUN_ID);
    report.run_attempt = toInt(env.GITHUB_RUN_ATTEMPT);
    if (pr && typeof pr === "object") {
      report.sha = pr.head?.sha;
      const branch = pr.head?.ref ?? env.GITHUB_HEAD_REF;
      if (branch) report.ref = `refs/heads/${branch}`;
      report.pr = pr.number ?? event.number;
    } else {
      report.sha = env.GITHUB_SHA;
      if (env.GITHUB_REF) report.ref = env.GITHUB_REF;
    }
    report.job = inputs.job || env.GITHUB_JOB || undefined;
  }
  if (inputs.command) report.command = inputs.command;
  if (inputs.paths.length > 0) report.paths = inputs.paths;
  for (const key of Object.keys(report)) if (report[key] === undefined || report[key] === null) delete report[key];
  return report;
}

function checkReport(report) {
  if (!Number.isSafeInteger(report.run_id) || report.run_id <= 0) return "the run id is unknown (GITHUB_RUN_ID)";
  if (typeof report.sha !== "string" || !SHA.test(report.sha)) return "the commit sha is unknown (GITHUB_SHA)";
  if (report.run_attempt !== undefined && !(Number.isSafeInteger(report.run_attempt) && report.run_attempt > 0)) {
    delete report.run_attempt;
  }
  return undefined;
}

function toInt(value) {
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

async function sendDispatch({ env, inputs, report, repository }) {
  if (!inputs.token) {
    warn("not reporting: no token for repository_dispatch (set the `token` input or the `endpoint` input)");
    return false;
  }
  const api = (env.GITHUB_API_URL || "https://api.github.com").replace(/\/+$/, "");
  const url = `${api}/repos/${repository}/dispatches`;
  const body = { event_type: inputs.eventType, client_payload: report };
  print(`fixfleet: sending repository_dispatch "${inputs.eventType}" to ${url}`, report);
  const answer = await post(url, body, {
    headers: {
      accept: "application/vnd.github+json",
      authorization: `Bearer ${inputs.token}`,
      "x-github-api-version": "2022-11-28",
    },
    inputs,
  });
  return conclude(answer, "repository_dispatch", {
    403: "the token may not create repository_dispatch events: give the job `permissions: contents: write`",
    404: "the repository was not found with this token: check `permissions: contents: write`",
  });
}

async function sendToIngest({ env, inputs, report, repository }) {
  let url;
  try {
    const base = inputs.endpoint.endsWith("/") ? inputs.endpoint : `${inputs.endpoint}/`;
    url = new URL("v1/failures", base).toString();
  } catch {
    warn(`not reporting: endpoint ${JSON.stringify(inputs.endpoint)} is not a URL`);
    return false;
  }
  const idToken = await requestIdToken(env, inputs);
  if (!idToken) return false;
  const body = { ...report, repository };
  print(`fixfleet: sending the failure report to ${url}`, body);
  const answer = await post(url, body, {
    headers: { authorization: `Bearer ${idToken}` },
    inputs,
  });
  return conclude(answer, "POST /v1/failures", {
    401: "fixfleet refused the OIDC token: check that `audience` matches the fleet's GITHUB_OIDC_AUDIENCE",
    403: "fixfleet does not accept reports from this repository (is the GitHub App installed on it?)",
  });
}

/** The job's OIDC token, from the runner's token service (needs `permissions: id-token: write`). */
async function requestIdToken(env, inputs) {
  const serviceUrl = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const serviceToken = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!serviceUrl || !serviceToken) {
    warn("not reporting: no OIDC token available; give the job `permissions: id-token: write`");
    return undefined;
  }
  const url = new URL(serviceUrl);
  url.searchParams.set("audience", inputs.audience);
  const answer = await request(url.toString(), {
    method: "GET",
    headers: { accept: "application/json", authorization: `bearer ${serviceToken}` },
    inputs,
  });
  if (answer.ok) {
    const value = answer.json?.value;
    if (typeof value === "string" && value.length > 0) return value;
    warn("not reporting: the OIDC token service answered without a token");
    return undefined;
  }
  warn(`not reporting: could not get an OIDC token (${answer.problem})`);
  return undefined;
}

function conclude(answer, what, hints) {
  if (answer.ok) {
    const note = answer.json?.duplicate ? " (already reported)" : "";
    out(`fixfleet: ${what} accepted with ${answer.status}${note}`);
    summary(`fixfleet received this failure${note}; a fix will be offered on a \`fixfleet/\` branch if one is found.`);
    return true;
  }
  const hint = hints[answer.status] ? `; ${hints[answer.status]}` : "";
  warn(`the failure was not reported: ${what} ${answer.problem}${hint}`);
  return false;
}

async function post(url, body, { headers, inputs }) {
  return request(url, {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": "fixfleet-action", ...headers },
    body: JSON.stringify(body),
    inputs,
  });
}

/**
 * One HTTP exchange with a time limit per attempt, retried on 429, 5xx and network errors
 * (honouring Retry-After up to a bound) - ingest answers 503 exactly when the sender should retry.
 */
async function request(url, { method, headers, body, inputs }) {
  let last;
  for (let attempt = 0; attempt <= inputs.retries; attempt++) {
    if (attempt > 0) await sleep(backoff(attempt, last?.retryAfterMs, inputs.backoffMs));
    last = await attemptOnce(url, { method, headers, body, timeoutMs: inputs.timeoutMs });
    if (last.ok || !last.retryable) return last;
    if (attempt < inputs.retries) out(`fixfleet: ${last.problem}; trying again`);
  }
  return last;
}

async function attemptOnce(url, { method, headers, body, timeoutMs }) {
  try {
    const res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(timeoutMs), redirect: "error" });
    const text = await res.text();
    let json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (res.ok) return { ok: true, status: res.status, json };
    const detail = json?.message ?? json?.error ?? text.slice(0, 200);
    return {
      ok: false,
      status: res.status,
      json,
      retryable: res.status === 429 || res.status >= 500,
      retryAfterMs: retryAfterMs(res.headers.get("retry-after")),
      problem: `answered ${res.status}${detail ? `: ${String(detail).replace(/\s+/g, " ").trim()}` : ""}`,
    };
  } catch (error) {
    const timedOut = error?.name === "TimeoutError" || error?.name === "AbortError";
    const cause = error?.cause?.code ?? error?.cause?.message ?? error?.message ?? String(error);
    return {
      ok: false,
      status: 0,
      retryable: true,
      problem: timedOut ? `did not answer within ${timeoutMs / 1000} s` : `could not be reached (${cause})`,
    };
  }
}

function retryAfterMs(header) {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function backoff(attempt, retryAfter, baseMs) {
  const exponential = baseMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
  // A CI step should not hold a runner for long: never wait more than 30 s for one retry.
  return Math.min(30_000, retryAfter ?? exponential);
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function print(line, payload) {
  out(line);
  out(JSON.stringify(payload, null, 2));
}

/** A workflow-command warning: shown on the run's summary page, escaped as the runner expects. */
function warn(message) {
  const data = message.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
  out(`::warning title=fixfleet::${data}`);
}

function summary(markdown) {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  try {
    appendFileSync(file, `${markdown}\n`);
  } catch {
    // A summary is a courtesy; never a reason to fail.
  }
}

function finish(env, sent) {
  const file = env.GITHUB_OUTPUT;
  if (file) {
    try {
      appendFileSync(file, `sent=${sent ? "true" : "false"}\n`);
    } catch {
      // As above.
    }
  }
  process.exitCode = 0;
}

/** Workflow commands (`::warning::`) are read from stdout only. */
function out(line) {
  process.stdout.write(`${line}\n`);
}
