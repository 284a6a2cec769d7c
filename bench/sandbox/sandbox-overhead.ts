/**
 * Overhead of a fix's sandbox against a bare `docker run --rm IMAGE true`, in one run:
 *   bare:    docker run --rm IMAGE true (the CLI, as an operator would)
 *   disk:    createSandbox → copyIn a ~10 MB git tree → exec `true` → destroy (default workspace)
 *   memory:  the same with `workspace: "memory"` (the workspace volume on a size-capped tmpfs)
 *   pool:    WarmPool.acquire with a ready container
 * Rounds interleave the variants, in a rotating order, so load on the machine hits them alike.
 * Run: npm run bench -w @fixfleet/sandbox   (ROUNDS=50 by default)
 */
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createSandbox, newWorkerId, WarmPool, type WorkspaceMedium } from "../../packages/sandbox/src/index.js";
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
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
const loadAtStart = load();

interface Steps {
  total: number[];
  create: number[];
  copy: number[];
  exec: number[];
  destroy: number[];
}
const newSteps = (): Steps => ({ total: [], create: [], copy: [], exec: [], destroy: [] });
const bare: number[] = [];
const acquire: number[] = [];
const sandboxes: Record<WorkspaceMedium, Steps> = { disk: newSteps(), memory: newSteps() };

async function dockerRun(): Promise<void> {
  const t = performance.now();
  const run = spawnSync("docker", ["run", "--rm", image, "true"]);
  if (run.status !== 0) throw new Error(`docker run failed: ${run.stderr}`);
  bare.push(performance.now() - t);
}

async function sandboxRound(workspace: WorkspaceMedium, i: number): Promise<void> {
  const steps = sandboxes[workspace];
  const t = performance.now();
  let lap = t;
  const step = (list: number[]) => {
    const now = performance.now();
    list.push(now - lap);
    lap = now;
  };
  const s = await createSandbox(docker, {
    image,
    jobId: `bench-${workspace}-${i}`,
    workerId,
    ttlMs: 5 * 60_000,
    workspace,
  });
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
  steps.total.push(performance.now() - t);
}

try {
  // One warm-up of each, not counted (first runs pay for page cache and image layers).
  spawnSync("docker", ["run", "--rm", image, "true"]);
  for (const workspace of ["disk", "memory"] as const) {
    const warm = await createSandbox(docker, { image, jobId: "bench-warmup", workerId, ttlMs: 60_000, workspace });
    await warm.copyIn(tree.dir);
    await warm.destroy();
  }

  const variants = [dockerRun, (i: number) => sandboxRound("disk", i), (i: number) => sandboxRound("memory", i)];
  for (let i = 0; i < rounds; i++) {
    for (let k = 0; k < variants.length; k++)
      await (variants[(i + k) % variants.length] as (i: number) => Promise<void>)(i);

    await pool.warm();
    const t = performance.now();
    const pooled = await pool.acquire(`bench-pool-${i}`);
    acquire.push(performance.now() - t);
    await pooled.destroy();
    process.stderr.write(".");
  }
} finally {
  await pool.close();
  rmSync(tree.dir, { recursive: true, force: true });
}

const p50 = (v: number[]) => percentile(v, 50);
const p95 = (v: number[]) => percentile(v, 95);
const row = (name: string, v: number[]) => `| ${name} | ${p50(v).toFixed(0)} | ${p95(v).toFixed(0)} |`;
const ratio = (v: number[]) => `${(p50(v) / p50(bare)).toFixed(2)}× | ${(p95(v) / p95(bare)).toFixed(2)}×`;
const lines = [
  "",
  `${rounds} rounds, tree ${(tree.bytes / 1024 / 1024).toFixed(1)} MB (incl. .git), image ${image}`,
  `load average (1, 5, 15 min) at the start: ${loadAtStart}; at the end: ${load()}`,
  "",
  "| variant | p50 ms | p95 ms |",
  "| --- | ---: | ---: |",
  row("`docker run --rm IMAGE true`", bare),
];
for (const workspace of ["disk", "memory"] as const) {
  const st = sandboxes[workspace];
  lines.push(
    row(`create → copy → exec \`true\` → destroy, ${workspace} workspace`, st.total),
    `| ratio ${workspace} / bare | ${ratio(st.total)} |`,
    row("… create (volume, container, start)", st.create),
    row("… copyIn (10 MB)", st.copy),
    row("… exec `true`", st.exec),
    row("… destroy (container, volume)", st.destroy),
  );
}
lines.push(row("warm-pool acquire", acquire), "");
process.stdout.write(lines.join("\n"));
