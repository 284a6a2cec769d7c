/**
 * The sandbox steps of one fix, timed directly (no worker, no queue, no GitHub), to tell what
 * bounds them: createSandbox, copyIn of the calculator repository, an exec of `true` (the cost
 * of an exec itself), `node -e 0` (a Node start), `npm test` (what reproduce, the agent's bash
 * call and verification each run), diff, destroy. `npm test` also runs on the host, outside
 * Docker, as the baseline. Container CPU comes from the engine's stats (cgroup usage).
 * Run after `run.ts` (not during it): ROUNDS=5 by default. Writes bench/results/worker-direct.json.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSandbox, newWorkerId } from "@fixfleet/sandbox";
import { BAD_SUM, ensureDockerEngine, ensureSandboxImage, REPO_ROOT } from "@fixfleet/testkit";
import { uptime } from "./machine.js";
import { summary } from "./stats.js";

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const say = (line: string) => process.stdout.write(`${line}\n`);

function calculatorTree(): string {
  const dir = mkdtempSync(join(tmpdir(), "fixfleet-bench-calc-"));
  mkdirSync(join(dir, "src"));
  mkdirSync(join(dir, "test"));
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name: "calc", version: "1.0.0", type: "module", scripts: { test: "node --test" } }, null, 2),
  );
  writeFileSync(join(dir, "src/sum.js"), BAD_SUM);
  writeFileSync(
    join(dir, "test/sum.test.js"),
    'import assert from "node:assert/strict";\nimport { test } from "node:test";\nimport { sum } from "../src/sum.js";\n\ntest("sum adds", () => {\n  assert.equal(sum(1, 2), 3);\n});\n',
  );
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=b", "-c", "user.email=b@b", ...args], { cwd: dir });
  git("init", "-q");
  git("add", "-A");
  git("commit", "-qm", "calc");
  return dir;
}

const docker = await ensureDockerEngine();
const image = await ensureSandboxImage(docker);
const tree = calculatorTree();
const steps: Record<string, number[]> = {};
const cpu: Record<string, number[]> = {};
const record = (name: string, ms: number) => {
  steps[name] ??= [];
  steps[name].push(ms);
};
const timed = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
  const started = performance.now();
  const value = await run();
  record(name, performance.now() - started);
  return value;
};
const loadStart = uptime();
say(`fixfleet worker bench, sandbox steps directly · ${loadStart}`);

try {
  for (let round = 0; round < ROUNDS; round++) {
    const host = performance.now();
    const r = spawnSync("npm", ["test"], { cwd: tree, encoding: "utf8" });
    if (r.status === 0) throw new Error("npm test passed on the broken calculator");
    record("host: npm test (no Docker)", performance.now() - host);

    const sandbox = await timed("createSandbox (volume, container, start)", () =>
      createSandbox(docker, {
        image,
        jobId: `bench-direct-${round}`,
        workerId: newWorkerId(),
        ttlMs: 300_000,
        labels: { "fixfleet.bench": "worker-direct" },
      }),
    );
    const container = docker.getContainer(sandbox.id);
    const cpuNs = async () =>
      (
        (await container.stats({ stream: false, "one-shot": true } as never)) as {
          cpu_stats: { cpu_usage: { total_usage: number } };
        }
      ).cpu_stats.cpu_usage.total_usage;
    try {
      await timed("copyIn (calculator checkout)", () => sandbox.copyIn(tree));
      await timed("exec `true`", () => sandbox.exec(["true"]));
      await timed("exec `node -e 0`", () => sandbox.exec(["node", "-e", "0"]));
      const before = await cpuNs();
      const test = await timed("exec `npm test`", () => sandbox.exec(["sh", "-c", "npm test"], { timeoutMs: 120_000 }));
      if (test.exitCode === 0) throw new Error("npm test passed in the sandbox on the broken calculator");
      const after = await cpuNs();
      cpu["exec `npm test`"] ??= [];
      cpu["exec `npm test`"].push((after - before) / 1e6);
      await timed("exec `node --test`", () => sandbox.exec(["sh", "-c", "node --test"], { timeoutMs: 120_000 }));
      await timed("diff", () => sandbox.diff());
    } finally {
      await timed("destroy", () => sandbox.destroy());
    }
  }
} finally {
  rmSync(tree, { recursive: true, force: true });
}

const rows = Object.entries(steps).map(([step, values]) => ({ step, ...summary(values) }));
say(`\n| step (${ROUNDS} rounds) | p50 ms | p95 ms | mean ms |\n| --- | --- | --- | --- |`);
for (const r of rows) say(`| ${r.step} | ${Math.round(r.p50)} | ${Math.round(r.p95)} | ${Math.round(r.mean)} |`);
const testCpu = summary(cpu["exec `npm test`"] ?? []);
say(`\ncontainer CPU of one \`npm test\`: p50 ${Math.round(testCpu.p50)} ms (cgroup usage, all cores)`);
const results = {
  date: new Date().toISOString(),
  load: { start: loadStart, end: uptime() },
  rows,
  npmTestCpuMs: testCpu,
};
mkdirSync(join(REPO_ROOT, "bench/results"), { recursive: true });
writeFileSync(join(REPO_ROOT, "bench/results/worker-direct.json"), `${JSON.stringify(results, null, 2)}\n`);
say(`wrote bench/results/worker-direct.json · ${results.load.end}`);
