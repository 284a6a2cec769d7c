// Ingest benchmark (bench/README.md): signed-webhook throughput and latency against a bare
// Hono route in the same run, then a burst of 10,000 reports over 500 commits.
//   npm run bench:ingest            (BENCH_SECONDS=10 BENCH_SLICES=5 BENCH_CONNECTIONS=50 by default)
import { type ChildProcess, fork } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createRedis, type FixJobData, QUEUE_NAMES, readBatch } from "@fixfleet/shared";
import { startRedisServer } from "@fixfleet/testkit";
import autocannon from "autocannon";
import { Queue } from "bullmq";
import ts from "typescript";

const SECRET = "bench-webhook-secret-0123456789";
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SLICES = Number(process.env.BENCH_SLICES ?? 5);
const BURST_REPORTS = 10_000;
const BURST_COMMITS = 500;

const redisServer = await startRedisServer();

/**
 * The node flags production starts ingest with: those of apps/ingest's `start` script (which the
 * Dockerfile's CMD repeats), so the benchmark never measures a process tuned differently.
 */
function productionNodeFlags(): string[] {
  const manifest = JSON.parse(readFileSync(new URL("../../apps/ingest/package.json", import.meta.url), "utf8"));
  const start = String(manifest.scripts?.start ?? "");
  const words = start.split(/\s+/);
  if (words[0] !== "node") throw new Error(`apps/ingest's start script does not start with node: ${start}`);
  return words.slice(1).filter((w) => w.startsWith("--"));
}

/**
 * server.ts as plain JavaScript, so that the server process runs as `npm start` runs ingest: the
 * built packages on plain node, with no loader in the process. Written next to server.ts, where
 * node finds the workspace packages.
 */
function compiledServer(): string {
  const source = readFileSync(new URL("./server.ts", import.meta.url), "utf8");
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  mkdirSync(new URL("./.build/", import.meta.url), { recursive: true });
  const out = new URL("./.build/server.mjs", import.meta.url);
  writeFileSync(out, outputText);
  return fileURLToPath(out);
}

async function startServers(prefix: string): Promise<{ child: ChildProcess; ingest: string; bare: string }> {
  // BENCH_SOURCE=1 runs the TypeScript sources of the packages through tsx instead of dist.
  const fromSource = process.env.BENCH_SOURCE === "1";
  const child = fork(fromSource ? fileURLToPath(new URL("./server.ts", import.meta.url)) : compiledServer(), [], {
    execArgv: [
      ...productionNodeFlags(),
      ...(fromSource ? ["--conditions=source", "--import", "tsx"] : []),
      // BENCH_CPU_PROF=<dir>: a V8 CPU profile of the server process, for finding where time goes.
      ...(process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
    ],
    env: {
      ...process.env,
      REDIS_URL: redisServer.url,
      GITHUB_APP_ID: "1",
      GITHUB_WEBHOOK_SECRET: SECRET,
      // No job may start during the run: the window outlasts it.
      BATCH_WINDOW_MS: "600000",
      BATCH_MAX_WAIT_MS: "3600000",
      BENCH_PREFIX: prefix,
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const urls = await new Promise<{ ingest: string; bare: string }>((resolve, reject) => {
    child.once("message", (m) => resolve(m as { ingest: string; bare: string }));
    child.once("exit", (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return { child, ...urls };
}

/** CPU microseconds the server process has used so far. */
const cpuOf = (child: ChildProcess) =>
  new Promise<number>((resolve) => {
    const onMessage = (m: unknown) => {
      const cpu = (m as { cpu?: { user: number; system: number } }).cpu;
      if (!cpu) return;
      child.off("message", onMessage);
      resolve(cpu.user + cpu.system);
    };
    child.on("message", onMessage);
    child.send("cpu");
  });

/** CPU microseconds redis-server has used so far. */
async function redisCpu(): Promise<number> {
  const redis = createRedis(redisServer.url, { role: "producer" });
  await new Promise((resolve) => redis.once("ready", resolve));
  const info = await redis.info("cpu");
  redis.disconnect();
  const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return Math.round((field("used_cpu_user") + field("used_cpu_sys")) * 1e6);
}

/**
 * The bare route and ingest, loaded in turns of SECONDS / SLICES each (bare, ingest, bare, …),
 * with the CPU the server process and Redis spent per answered request. Taking turns keeps a
 * change in the machine's other load (it is shared) from landing on one side only.
 */
async function interleaved(child: ChildProcess, urls: { bare: string; ingest: string }, commits: number) {
  const sides = { bare: [] as Slice[], ingest: [] as Slice[] };
  for (let i = 0; i < SLICES; i += 1) {
    for (const side of ["bare", "ingest"] as const) {
      const [cpu0, redis0] = [await cpuOf(child), await redisCpu()];
      const result = await load(urls[side], { commits, seconds: SECONDS / SLICES });
      const [cpu1, redis1] = [await cpuOf(child), await redisCpu()];
      sides[side].push({ ...result, cpu: cpu1 - cpu0, redis: redis1 - redis0 });
    }
  }
  return { bare: summary(sides.bare), ingest: summary(sides.ingest) };
}

type Slice = Awaited<ReturnType<typeof load>> & { cpu: number; redis: number };

function summary(slices: Slice[]) {
  const sum = (f: (s: Slice) => number) => slices.reduce((n, s) => n + f(s), 0);
  const answered = sum((s) => s.ok + s.non2xx);
  const seconds = sum((s) => s.seconds);
  const p50s = slices.map((s) => s.p50).sort((a, b) => a - b);
  return {
    // autocannon's per-second rate of each turn, averaged over the turns (a turn's last
    // responses, which arrive after its sending stopped, are counted, but not their seconds).
    rps: Math.round(sum((s) => s.rps) / slices.length),
    // Percentiles do not add up across turns: the median turn's p50, the worst turn's p99.
    p50: p50s[Math.floor(p50s.length / 2)],
    p99: Math.max(...slices.map((s) => s.p99)),
    ok: sum((s) => s.ok),
    non2xx: sum((s) => s.non2xx),
    errors: sum((s) => s.errors),
    seconds: Number(seconds.toFixed(2)),
    serverCpuMsPerRequest: Number((sum((s) => s.cpu) / 1000 / answered).toFixed(3)),
    redisCpuMsPerRequest: Number((sum((s) => s.redis) / 1000 / answered).toFixed(3)),
  };
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });

/** Peak resident memory of a process so far (Linux: VmHWM). */
function peakRssMiB(pid: number): number {
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  return Math.round(kb / 1024);
}

let counter = 0;
/** A fresh signed repository_dispatch delivery: its own run id, one of `commits` head shas. */
function signedDelivery(commits: number) {
  counter += 1;
  const sha = (counter % commits).toString(16).padStart(40, "0");
  const body = JSON.stringify({
    action: "fixfleet",
    branch: "main",
    client_payload: {
      v: 1,
      run_id: 1_000_000 + counter,
      run_attempt: 1,
      sha,
      job: `test ${counter % 7}`,
      command: "npm test",
    },
    repository: { id: 4242, name: "bench", full_name: "octo-org/bench", owner: { login: "octo-org", id: 777 } },
    installation: { id: 99 },
    sender: { login: "octocat", id: 1 },
  });
  return {
    method: "POST" as const,
    path: "/webhooks/github",
    body,
    headers: {
      "content-type": "application/json",
      "user-agent": "GitHub-Hookshot/bench",
      "x-github-event": "repository_dispatch",
      "x-github-delivery": randomUUID(),
      "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
    },
  };
}

async function load(url: string, options: { amount?: number; seconds?: number; commits: number }) {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    ...(options.amount ? { amount: options.amount } : { duration: options.seconds ?? SECONDS }),
    requests: [{ setupRequest: (req) => ({ ...req, ...signedDelivery(options.commits) }) }],
  });
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result["2xx"],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    seconds: result.duration,
  };
}

try {
  // 1. Throughput: the bare route and ingest in turns, same client, same machine, same run.
  const throughput = await startServers("bench-throughput");
  // Warm-up: V8 needs a few thousand requests before ingest's path is optimized (its CPU per
  // request falls about threefold); measuring a cold process would measure the JIT.
  await load(throughput.bare, { commits: 500, amount: 5_000 });
  await load(throughput.ingest, { commits: 500, amount: 5_000 });
  const { bare, ingest } = await interleaved(throughput.child, throughput, 500);
  await stop(throughput.child);

  if (process.env.BENCH_BURST === "0") {
    process.stdout.write(
      `${JSON.stringify({ bare, ingest, ratio: Number((ingest.rps / bare.rps).toFixed(2)) }, null, 2)}\n`,
    );
  } else {
    // 2. Burst: a fresh ingest process, 10,000 reports over 500 commits as fast as it takes them.
    const prefix = "bench-burst";
    const burstServers = await startServers(prefix);
    const started = performance.now();
    const burst = await load(burstServers.ingest, { amount: BURST_REPORTS, commits: BURST_COMMITS });
    const burstSeconds = (performance.now() - started) / 1000;
    const peak = peakRssMiB(burstServers.child.pid!);
    await stop(burstServers.child);

    const redis = createRedis(redisServer.url, { role: "producer" });
    await new Promise((resolve) => redis.once("ready", resolve));
    const queue = new Queue<FixJobData>(QUEUE_NAMES.fix, { connection: redis, prefix });
    const jobs = await queue.getJobs(["delayed", "waiting", "active", "completed", "failed"]);
    let stored = 0;
    for (const job of jobs) stored += (await readBatch(redis, prefix, job.data.batchId))?.reports.length ?? 0;
    await queue.close();
    redis.disconnect();

    const figures = {
      machine: `${(await import("node:os")).cpus().length} cores, Node ${process.version}, ${CONNECTIONS} connections, ${SECONDS} s per side in ${SLICES} turns`,
      bare,
      ingest,
      ratio: Number((ingest.rps / bare.rps).toFixed(2)),
      cpuRatio: Number(
        (bare.serverCpuMsPerRequest / (ingest.serverCpuMsPerRequest + ingest.redisCpuMsPerRequest)).toFixed(2),
      ),
      burst: {
        reports: BURST_REPORTS,
        commits: BURST_COMMITS,
        accepted: burst.ok,
        refused: burst.non2xx + burst.errors,
        seconds: Number(burstSeconds.toFixed(2)),
        reportsPerSecond: Math.round(BURST_REPORTS / burstSeconds),
        jobs: jobs.length,
        storedReports: stored,
        lost: BURST_REPORTS - stored,
        ingestPeakRssMiB: peak,
      },
    };
    process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
    const pass =
      figures.ratio >= 0.5 && jobs.length === BURST_COMMITS && stored === BURST_REPORTS && ingest.non2xx === 0;
    process.stdout.write(
      pass ? "PASS: ratio ≥ 0.5, 500 jobs, 10,000 reports, none lost\n" : "FAIL: see the figures above\n",
    );
    process.exitCode = pass ? 0 : 1;
  }
} finally {
  await redisServer.stop();
}
