/**
 * Overhead of a fix's sandbox against a bare `docker run --rm IMAGE true`, in one run:
 *   sandbox: createSandbox → copyIn a ~10 MB git tree → exec `true` → destroy
 *   bare:    docker run --rm IMAGE true (the CLI, as an operator would)
 *   pool:    WarmPool.acquire with a ready container
 * Rounds interleave the variants so load on the machine hits them alike.
 * Run: npm run bench -w @fixfleet/sandbox   (ROUNDS=50 by default)
 */
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSandbox, newWorkerId, WarmPool } from "../../packages/sandbox/src/index.js";
import { ensureSandboxImage } from "../../packages/testkit/src/images/sandbox-image.js";
import { ensureDockerEngine } from "../../packages/testkit/src/services/docker-engine.js";

const rounds = Number(process.env.ROUNDS ?? 50);

function makeTree(): { dir: string; bytes: number } {
  const dir = mkdtempSync(join(tmpdir(), "fixfleet-bench-tree-"));
  let bytes = 0;
  // Source-like text (compressible, like a real repository), 160 files of 40 KiB in 16 folders.
  for (let d = 0; d < 16; d++) {
    mkdirSync(join(dir, `src/mod${d}`), { recursive: true });
    for (let f = 0; f < 10; f++) {
      const lines = Array.from({ length: 640 }, (_, i) => `export const v${i} = "${randomBytes(24).toString("hex")}";`);
      const text = `${lines.join("\n")}\n`.slice(0, 40 * 1024);
      writeFileSync(join(dir, `src/mod${d}/file${f}.ts`), text);
      bytes += text.length;
    }
  }
  writeFileSync(join(dir, "package.json"), '{"name":"bench","version":"1.0.0"}\n');
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=b", "-c", "user.email=b@b", ...args], { cwd: dir });
  git("init", "-q");
  git("add", "-A");
  git("commit", "-qm", "bench");
  const total = Number(execFileSync("du", ["-sb", dir], { encoding: "utf8" }).split("\t")[0]);
  return { dir, bytes: total || bytes };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx] as number;
}

const docker = await ensureDockerEngine();
const image = await ensureSandboxImage(docker);
const tree = makeTree();
const workerId = newWorkerId("bench");
const pool = new WarmPool(docker, { image, size: 1, workerId, ttlMs: 10 * 60_000 });
const bare: number[] = [];
const sandbox: number[] = [];
const acquire: number[] = [];
const steps = { create: [] as number[], copy: [] as number[], exec: [] as number[], destroy: [] as number[] };

try {
  // One warm-up of each, not counted (first runs pay for page cache and image layers).
  spawnSync("docker", ["run", "--rm", image, "true"]);
  const warm = await createSandbox(docker, { image, jobId: "bench-warmup", workerId, ttlMs: 60_000 });
  await warm.destroy();

  for (let i = 0; i < rounds; i++) {
    let t = performance.now();
    const run = spawnSync("docker", ["run", "--rm", image, "true"]);
    if (run.status !== 0) throw new Error(`docker run failed: ${run.stderr}`);
    bare.push(performance.now() - t);

    t = performance.now();
    let lap = t;
    const step = (list: number[]) => {
      const now = performance.now();
      list.push(now - lap);
      lap = now;
    };
    const s = await createSandbox(docker, { image, jobId: `bench-${i}`, workerId, ttlMs: 5 * 60_000 });
    step(steps.create);
    try {
      await s.copyIn(tree.dir);
      step(steps.copy);
      const r = await s.exec("true");
      if (r.exitCode !== 0) throw new Error(`exec true exited ${r.exitCode}`);
      step(steps.exec);
    } finally {
      await s.destroy();
      step(steps.destroy);
    }
    sandbox.push(performance.now() - t);

    await pool.warm();
    t = performance.now();
    const pooled = await pool.acquire(`bench-pool-${i}`);
    acquire.push(performance.now() - t);
    await pooled.destroy();
    process.stderr.write(".");
  }
} finally {
  await pool.close();
  rmSync(tree.dir, { recursive: true, force: true });
}

const row = (name: string, v: number[]) =>
  `| ${name} | ${percentile(v, 50).toFixed(0)} | ${percentile(v, 95).toFixed(0)} |`;
const ratio50 = percentile(sandbox, 50) / percentile(bare, 50);
const ratio95 = percentile(sandbox, 95) / percentile(bare, 95);
process.stdout.write(
  [
    "",
    `${rounds} rounds, tree ${(tree.bytes / 1024 / 1024).toFixed(1)} MB (incl. .git), image ${image}`,
    "",
    "| variant | p50 ms | p95 ms |",
    "| --- | ---: | ---: |",
    row("`docker run --rm IMAGE true`", bare),
    row("create → copy → exec `true` → destroy", sandbox),
    `| ratio sandbox / bare | ${ratio50.toFixed(2)}× | ${ratio95.toFixed(2)}× |`,
    row("warm-pool acquire", acquire),
    row("… of which create (volume, container, start)", steps.create),
    row("… of which copy (putArchive, 10 MB)", steps.copy),
    row("… of which exec `true`", steps.exec),
    row("… of which destroy (container, volume)", steps.destroy),
    "",
    `load average at the end: ${(await import("node:os"))
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
    "",
  ].join("\n"),
);
