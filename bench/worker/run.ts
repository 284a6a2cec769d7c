/**
 * Issue 8 benchmark: a fix's latency from accepted report to published branch, split by stage,
 * and fixes per minute with 1, 2 and 4 worker processes, on the real fleet (ingest and workers
 * from their built dist, real Redis, real Docker sandboxes, real git) with GitHub and a model
 * that answers instantly faked. Run `npx turbo run build` first. Prints tables; writes
 * bench/results/worker.json.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createRedis, DEFAULT_KEY_PREFIX, QUEUE_NAMES } from "@fixfleet/shared";
import {
  type FleetProcess,
  GOOD_SUM,
  REPO_ROOT,
  report,
  type SeededRepo,
  seedCalculator,
  startFleet,
  waitFor,
} from "@fixfleet/testkit";
import { watchBranches } from "./branch-watch.js";
import { recordSandboxEvents, type SandboxEvent } from "./docker-events.js";
import { cpuJiffies, pidsNamed, processCpuSeconds, uptime } from "./machine.js";
import { type StageTotals, scrapeStageTotals } from "./metrics.js";
import { repositoryOf, scriptSumFixes } from "./model-script.js";
import { summary } from "./stats.js";
import { type FixClocks, type FixTimeline, fixTimeline, SEGMENTS } from "./timeline.js";

const LATENCY_FIXES = Number(process.env.LATENCY_FIXES ?? 20);
const THROUGHPUT_FIXES = Number(process.env.THROUGHPUT_FIXES ?? 12);
const WORKER_COUNTS = (process.env.WORKER_COUNTS ?? "1,2,4").split(",").filter(Boolean).map(Number);
const PHASE_TIMEOUT_MS = Number(process.env.PHASE_TIMEOUT_MS ?? 15 * 60_000);

const fleet = await startFleet({
  batchWindowMs: 0,
  batchMaxWaitMs: 0,
  // Production's lock and log level: the fleet's test defaults (4 s lock, debug logs) are for
  // fast stalled-job tests and would cost CPU and stall-retries here.
  workerEnv: { WORKER_LOCK_MS: "60000", LOG_LEVEL: "info", WORKER_CONCURRENCY: process.env.WORKER_CONCURRENCY ?? "2" },
});
const redis = createRedis(fleet.redis.url, { role: "worker" });
const eventsKey = `${DEFAULT_KEY_PREFIX}:${QUEUE_NAMES.fix}:events`;
const docker = await recordSandboxEvents(fleet.docker);
const branches = watchBranches(fleet.gh);
let seeded = 0;

function metricsUrl(worker: FleetProcess): string {
  const port = /"metricsPort":(\d+)/.exec(worker.output())?.[1];
  if (!port) throw new Error(`${worker.name} did not log its metrics port`);
  return `http://127.0.0.1:${port}/metrics`;
}

async function stopWorkers(): Promise<void> {
  const running = fleet.workers.filter((w) => w.proc.exitCode === null && w.proc.signalCode === null);
  for (const w of running) w.kill("SIGTERM");
  await Promise.all(running.map((w) => w.exited));
}

async function startWorkers(count: number): Promise<FleetProcess[]> {
  await stopWorkers();
  const started: FleetProcess[] = [];
  for (let i = 0; i < count; i++) started.push(await fleet.startWorker());
  return started;
}

async function seed(count: number, label: string): Promise<SeededRepo[]> {
  const repos: SeededRepo[] = [];
  for (let i = 0; i < count; i++) repos.push(await seedCalculator(fleet.gh, { name: `${label}-${++seeded}` }));
  scriptSumFixes(fleet.ai, count);
  return repos;
}

async function dispatch(repo: SeededRepo): Promise<number> {
  const answer = await fleet.dispatch(repo, report(repo));
  if (answer.status !== 202)
    throw new Error(`ingest answered ${answer.status} for ${repo.fullName}: ${await answer.text()}`);
  return Date.now();
}

/** Every clock's marks for these fixes, read once they are done. */
async function collectClocks(repos: readonly SeededRepo[], accepted: Map<string, number>): Promise<FixClocks[]> {
  const entries = (await redis.xrange(eventsKey, "-", "+")) as Array<[string, string[]]>;
  const byRepo = new Map<string, FixClocks>();
  for (const r of repos) {
    byRepo.set(r.fullName, {
      repo: r.fullName,
      accepted: accepted.get(r.fullName) as number,
      branch: branches.published.get(r.fullName),
      stageStart: {},
      modelRequests: [],
      sandbox: docker.events.filter((e: SandboxEvent) => e.repo === r.fullName),
      githubCalls: fleet.gh.calls
        .filter((c) => c.path.startsWith(`/repos/${r.fullName}/`) || c.path.startsWith(`/${r.fullName}.git`))
        .map((c) => ({ route: c.route ?? `${c.method} ${c.path}`, at: c.at })),
    });
  }
  for (const [id, fields] of entries) {
    const at = Number(id.split("-")[0]);
    const f: Record<string, string> = {};
    for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i] as string] = fields[i + 1] as string;
    const repo = /(octo\/[^@]+)@/.exec(f.jobId ?? "")?.[1];
    const clocks = repo ? byRepo.get(repo) : undefined;
    if (!clocks) continue;
    if (f.event === "active") clocks.active ??= at;
    if (f.event === "completed") clocks.completed = at;
    if (f.event === "progress" && f.data) {
      const stage = (JSON.parse(f.data) as { stage?: string }).stage;
      if (stage === "context" || stage === "fix" || stage === "publish") clocks.stageStart[stage] ??= at;
    }
  }
  for (const request of fleet.ai.requests) {
    if (request.route !== "/v1/messages" || request.status !== 200) continue;
    const clocks = byRepo.get(repositoryOf(request) ?? "");
    clocks?.modelRequests.push(request.receivedAt);
  }
  return [...byRepo.values()];
}

async function failedJobs(since: number): Promise<number> {
  const entries = (await redis.xrange(eventsKey, String(since), "+")) as Array<[string, string[]]>;
  return entries.filter(([, f]) => f[0] === "event" && f[1] === "failed").length;
}

async function wrongBranches(repos: readonly SeededRepo[]): Promise<string[]> {
  const wrong: string[] = [];
  for (const r of repos) {
    const content = await fleet.gh.readFile(r.fullName, `fixfleet/pr-${r.pr}`, "src/sum.js").catch(() => undefined);
    if (content !== GOOD_SUM) wrong.push(r.fullName);
  }
  return wrong;
}

function cpuProbe(workers: readonly FleetProcess[]) {
  const engine = pidsNamed(["dockerd", "containerd"]);
  const read = () => ({
    jiffies: cpuJiffies(),
    workers: workers.reduce((s, w) => s + processCpuSeconds(w.proc.pid ?? 0), 0),
    ingest: processCpuSeconds(fleet.ingest.proc.pid ?? 0),
    bench: process.cpuUsage(),
    engine: engine.reduce((s, pid) => s + processCpuSeconds(pid), 0),
  });
  const start = read();
  return () => {
    const end = read();
    const busy = end.jiffies.busy - start.jiffies.busy;
    const total = end.jiffies.total - start.jiffies.total;
    const benchUs = end.bench.user + end.bench.system - (start.bench.user + start.bench.system);
    return {
      machineBusy: busy / total,
      workerCpuS: end.workers - start.workers,
      ingestCpuS: end.ingest - start.ingest,
      dockerEngineCpuS: end.engine - start.engine,
      benchAndFakesCpuS: benchUs / 1e6,
    };
  };
}

function stageDelta(before: StageTotals, after: StageTotals): Record<string, { count: number; meanS: number }> {
  const out: Record<string, { count: number; meanS: number }> = {};
  for (const [stage, a] of Object.entries(after)) {
    const b = before[stage] ?? { sum: 0, count: 0 };
    const count = a.count - b.count;
    out[stage] = { count, meanS: count > 0 ? (a.sum - b.sum) / count : Number.NaN };
  }
  return out;
}

function splitTable(timelines: readonly FixTimeline[]) {
  const rows = SEGMENTS.map((segment) => ({ segment, ...summary(timelines.map((t) => t.segments[segment])) }));
  rows.push({ segment: "total: accepted → branch" as never, ...summary(timelines.map((t) => t.totalMs)) });
  return rows;
}

const say = (line: string) => process.stdout.write(`${line}\n`);
const s1 = (v: number) => (Number.isNaN(v) ? "—" : (v / 1000).toFixed(2));

function printSplit(title: string, timelines: readonly FixTimeline[]) {
  const rows = splitTable(timelines);
  const total = rows.at(-1)?.mean ?? 1;
  say(`\n${title} (n=${timelines.length})`);
  say("| segment | p50 s | p95 s | mean s | share of mean |\n| --- | --- | --- | --- | --- |");
  for (const r of rows)
    say(`| ${r.segment} | ${s1(r.p50)} | ${s1(r.p95)} | ${s1(r.mean)} | ${((r.mean / total) * 100).toFixed(0)}% |`);
}

const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  commit: execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: REPO_ROOT, encoding: "utf8" }).trim(),
  dirtyWorkerFiles: execFileSync("git", ["status", "--short", "apps/worker", "packages"], {
    cwd: REPO_ROOT,
    encoding: "utf8",
  })
    .split("\n")
    .filter(Boolean),
  uptimeAtStart: uptime(),
  settings: { LATENCY_FIXES, THROUGHPUT_FIXES, WORKER_COUNTS, BATCH_WINDOW_MS: 0, BATCH_MAX_WAIT_MS: 0 },
};
say(`fixfleet worker bench · ${results.date} · ${results.uptimeAtStart}`);

try {
  // 1. Latency: one worker, one fix at a time on an idle fleet (the previous fix's comment and
  // check run done), after one warm-up fix.
  if (LATENCY_FIXES > 0) {
    const [latencyWorker] = await startWorkers(1);
    const [warm] = await seed(1, "warm");
    const warmAccepted = new Map([[warm!.fullName, await dispatch(warm!)]]);
    await branches.waitFor([warm!.fullName], 5 * 60_000, () => fleet.logs());
    const latencyRepos = await seed(LATENCY_FIXES, "lat");
    await new Promise((r) => setTimeout(r, 2_000)); // the warm-up's comment and check run finish
    const latencyUrl = metricsUrl(latencyWorker!);
    const before = await scrapeStageTotals([latencyUrl]);
    const latencyLoad = { start: uptime() };
    const accepted = new Map<string, number>();
    const latencyCpu = cpuProbe([latencyWorker!]);
    for (const r of latencyRepos) {
      accepted.set(r.fullName, await dispatch(r));
      await branches.waitFor([r.fullName], 5 * 60_000, () => fleet.logs());
      // The fix's comment and check run follow the branch; the next fix starts on an idle worker.
      await waitFor(
        `${r.fullName}'s check run to complete`,
        () => fleet.gh.checkRuns(r.fullName).some((c) => c.status === "completed"),
        { timeoutMs: 60_000 },
      );
      process.stdout.write(".");
    }
    await new Promise((r) => setTimeout(r, 2_000));
    const latencyStages = stageDelta(before, await scrapeStageTotals([latencyUrl]));
    const latencyCpuFigures = latencyCpu();
    const latencyTimelines = (await collectClocks(latencyRepos, accepted))
      .map(fixTimeline)
      .filter((t): t is FixTimeline => t !== undefined);
    const totals = latencyTimelines.map((t) => t.totalMs);
    const meanTotal = summary(totals).mean / 1000;
    const histSum = ["context", "fix", "publish"].reduce((s, k) => s + (latencyStages[k]?.meanS ?? 0), 0);
    printSplit("\nLatency, accepted (202) → branch, 1 worker, one fix at a time", latencyTimelines);
    say("\nStage histogram fixfleet_fix_stage_duration_seconds (means over the same fixes)");
    say("| stage | count | mean s |\n| --- | --- | --- |");
    for (const [stage, v] of Object.entries(latencyStages)) say(`| ${stage} | ${v.count} | ${v.meanS.toFixed(2)} |`);
    say(`| queue wait = mean total − the three | | ${(meanTotal - histSum).toFixed(2)} |`);
    say(
      `(publish in the histogram includes the comment and check run after the branch exists; load ${latencyLoad.start})`,
    );
    results.latency = {
      load: { ...latencyLoad, end: uptime() },
      cpu: latencyCpuFigures,
      split: splitTable(latencyTimelines),
      histogram: latencyStages,
      queueWaitFromHistogramS: meanTotal - histSum,
      sandboxExecs: summary(latencyTimelines.map((t) => t.execs.count)),
      sandboxExecMs: summary(latencyTimelines.map((t) => t.execs.ms)),
      fixes: latencyTimelines,
      wrongBranches: await wrongBranches(latencyRepos),
    };
    void warmAccepted;
  }
  // 2. Throughput: the same workload, all dispatched at once, with 1, 2 and 4 worker processes.
  const throughput: Array<Record<string, unknown>> = [];
  for (const count of WORKER_COUNTS) {
    const workers = await startWorkers(count);
    const repos = await seed(THROUGHPUT_FIXES, `w${count}`);
    const loadStart = uptime();
    const urls = workers.map(metricsUrl);
    const stagesBefore = await scrapeStageTotals(urls);
    const probe = cpuProbe(workers);
    const since = Date.now();
    const acc = new Map<string, number>();
    const start = Date.now();
    for (const r of repos) acc.set(r.fullName, await dispatch(r));
    await branches.waitFor(
      repos.map((r) => r.fullName),
      PHASE_TIMEOUT_MS,
      () => fleet.logs(),
    );
    const last = Math.max(...repos.map((r) => branches.published.get(r.fullName) as number));
    const wallS = (last - start) / 1000;
    const cpu = probe();
    await new Promise((r) => setTimeout(r, 2_000));
    const stages = stageDelta(stagesBefore, await scrapeStageTotals(urls));
    const timelines = (await collectClocks(repos, acc)).map(fixTimeline).filter((t): t is FixTimeline => !!t);
    const perMinute = (repos.length / wallS) * 60;
    throughput.push({
      workers: count,
      concurrencyEach: Number(process.env.WORKER_CONCURRENCY ?? 2),
      fixes: repos.length,
      wallS,
      fixesPerMinute: perMinute,
      load: { start: loadStart, end: uptime() },
      cpu,
      histogram: stages,
      latency: summary(timelines.map((t) => t.totalMs)),
      split: splitTable(timelines),
      failedJobs: await failedJobs(since),
      wrongBranches: await wrongBranches(repos),
    });
    say(`\n${count} worker(s): ${repos.length} fixes in ${wallS.toFixed(1)} s (${perMinute.toFixed(2)}/min)`);
    printSplit(`Split under load, ${count} worker(s)`, timelines);
  }
  const base = (throughput.find((t) => t.workers === 1) ?? throughput[0])?.fixesPerMinute as number;
  say(
    "\nThroughput, same workload dispatched at once\n| workers × concurrency | fixes | wall s | fixes/min | ratio to 1 worker | machine busy | worker CPU s | Docker engine CPU s | load (uptime at start) |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  );
  for (const t of throughput) {
    const cpu = t.cpu as ReturnType<ReturnType<typeof cpuProbe>>;
    t.ratioTo1 = (t.fixesPerMinute as number) / base;
    say(
      `| ${t.workers} × ${t.concurrencyEach} | ${t.fixes} | ${(t.wallS as number).toFixed(1)} | ${(t.fixesPerMinute as number).toFixed(2)} | ${(t.ratioTo1 as number).toFixed(2)} | ${(cpu.machineBusy * 100).toFixed(0)}% | ${cpu.workerCpuS.toFixed(1)} | ${cpu.dockerEngineCpuS.toFixed(1)} | ${(t.load as { start: string }).start.replace(/.*load average: /, "")} |`,
    );
  }
  results.throughput = throughput;
  results.scriptErrors = fleet.ai.scriptErrors.map((e) => e.message);
} finally {
  results.uptimeAtEnd = uptime();
  mkdirSync(join(REPO_ROOT, "bench/results"), { recursive: true });
  writeFileSync(
    join(REPO_ROOT, `bench/results/${process.env.RESULTS_NAME ?? "worker"}.json`),
    `${JSON.stringify(results, null, 2)}\n`,
  );
  say(`\nwrote bench/results/${process.env.RESULTS_NAME ?? "worker"}.json · ${results.uptimeAtEnd}`);
  branches.stop();
  docker.stop();
  redis.disconnect();
  await fleet.stop();
}
