/**
 * Monorepo scoping benchmark (issue 9): discovery + mapping on a synthetic repository of 2,000
 * packages against baselines measured in the same run, and a sparse partial clone of one
 * package against a full clone, both over file:// with real git.
 *
 *   npm run bench -w @fixfleet/monorepo            (PACKAGES=2000 SOURCE_BYTES=12000 RUNS=15)
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import {
  buildScope,
  createLocalReader,
  createMemoryReader,
  DEFAULT_IGNORED_DIRS,
  discoverWorkspace,
  mapBatch,
  sparseCheckoutPlan,
} from "../../packages/monorepo/src/index.js";
import { packageDir, writeSyntheticRepo } from "./synthetic-repo.js";

const exec = promisify(execFile);
const PACKAGES = Number(process.env.PACKAGES ?? 2000);
const SOURCE_BYTES = Number(process.env.SOURCE_BYTES ?? 12_000);
const RUNS = Number(process.env.RUNS ?? 15);
const CLONE_RUNS = Number(process.env.CLONE_RUNS ?? 3);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;
const mib = (b: number) => `${(b / 1024 / 1024).toFixed(2)} MiB`;

/** Wall-clock and CPU time (user + system) of one call: the CPU figure is what load on a shared machine distorts least. */
async function time<T>(fn: () => Promise<T>): Promise<[number, T, number]> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await fn();
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return [wall, value, (used.user + used.system) / 1000];
}

/** Baseline 1: list every file, with the same ignored directories, and nothing else. */
async function bareWalk(root: string): Promise<string[]> {
  const ignored = new Set(DEFAULT_IGNORED_DIRS);
  const files: string[] = [];
  const pending = [""];
  while (pending.length > 0) {
    const rel = pending.pop()!;
    for (const entry of await readdir(path.join(root, rel), { withFileTypes: true })) {
      const child = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!ignored.has(entry.name)) pending.push(child);
      } else files.push(child);
    }
  }
  return files;
}

/** Baseline 2: the walk plus reading and parsing every package.json: the I/O discovery cannot avoid. */
async function walkAndReadManifests(root: string): Promise<number> {
  const files = await bareWalk(root);
  const manifests = files.filter((f) => f.endsWith("/package.json") || f === "package.json");
  const parsed = await Promise.all(manifests.map(async (f) => JSON.parse(await readFile(path.join(root, f), "utf8"))));
  return parsed.length;
}

/** Baseline 3: the clone's index listing plus reading and parsing every package.json. */
async function gitListAndReadManifests(root: string): Promise<number> {
  const { stdout } = await exec("git", ["ls-files", "-z"], { cwd: root, maxBuffer: 256 * 1024 * 1024 });
  const manifests = stdout.split("\0").filter((f) => f.endsWith("/package.json") || f === "package.json");
  const parsed = await Promise.all(manifests.map(async (f) => JSON.parse(await readFile(path.join(root, f), "utf8"))));
  return parsed.length;
}

function failureIn(target: number) {
  return {
    job: "test",
    command: undefined,
    log: [
      ` FAIL  ${packageDir(target)}/src/index.test.ts > computes the total`,
      "AssertionError: expected 3 to be 4",
      `    at /home/runner/work/synthetic/synthetic/${packageDir(target)}/src/lib.ts:12:7`,
      "Test Files  1 failed | 1999 passed",
    ].join("\n"),
  };
}

async function discoverAndMap(reader: ReturnType<typeof createLocalReader>, target: number, changed: string[]) {
  const workspace = await discoverWorkspace(reader);
  const failures = [failureIn(target)];
  const mapping = mapBatch({ workspace, failures, changedFiles: changed });
  const scope = buildScope({ workspace, mapping, failures });
  const plan = await sparseCheckoutPlan({ workspace, scope, reader });
  return { workspace, mapping, scope, plan };
}

async function du(dir: string): Promise<number> {
  const { stdout } = await exec("du", ["-sb", dir]);
  return Number(stdout.split("\t")[0]);
}

async function git(args: string[], cwd: string): Promise<void> {
  // No background gc: it would race the clean-up and the timings.
  await exec("git", ["-c", "gc.autoDetach=false", "-c", "maintenance.auto=false", ...args], {
    cwd,
    maxBuffer: 256 * 1024 * 1024,
  });
}

async function main() {
  const work = await mkdtemp(path.join(tmpdir(), "fixfleet-bench-monorepo-"));
  const root = path.join(work, "repo");
  try {
    console.error(`writing ${PACKAGES} packages to ${root} …`);
    await writeSyntheticRepo(root, { packages: PACKAGES, sourceBytes: SOURCE_BYTES });
    const fileCount = (await bareWalk(root)).length;
    const target = PACKAGES - 1; // the last package of the last group
    const changed = [`${packageDir(0)}/src/lib.ts`]; // a core library it depends on

    // Commit first: on a clone the reader lists files from the git index.
    await git(["init", "-q", "-b", "main"], root);
    await git(["add", "-A"], root);
    await git(["-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "-q", "-m", "synthetic"], root);

    // The GitHub API path: the tree's paths and the manifests already fetched into memory.
    const files = new Map<string, string>();
    for (const f of await bareWalk(root))
      files.set(f, f.endsWith(".json") ? await readFile(path.join(root, f), "utf8") : "");

    const variants: Record<string, () => Promise<unknown>> = {
      "baseline: directory walk": () => bareWalk(root),
      "baseline: directory walk + read/parse every package.json": () => walkAndReadManifests(root),
      "baseline: git ls-files + read/parse every package.json": () => gitListAndReadManifests(root),
      "ours, local clone (git index listing)": () => discoverAndMap(createLocalReader(root), target, changed),
      "ours, local tree (directory walk)": () =>
        discoverAndMap(createLocalReader(root, { listing: "walk" }), target, changed),
      "ours, in memory (API path, contents fetched)": () => discoverAndMap(createMemoryReader(files), target, changed),
    };
    const wall = new Map<string, number[]>(Object.keys(variants).map((k) => [k, []]));
    const cpu = new Map<string, number[]>(Object.keys(variants).map((k) => [k, []]));
    // Warm-up (JIT, page cache), then interleaved runs so drift on a shared machine hits every variant alike.
    for (let i = 0; i < 2; i++) for (const fn of Object.values(variants)) await fn();
    for (let i = 0; i < RUNS; i++) {
      for (const [name, fn] of Object.entries(variants)) {
        const [w, , c] = await time(fn);
        wall.get(name)!.push(w);
        cpu.get(name)!.push(c);
      }
    }
    // Discovery and mapping apart, from memory (no I/O).
    const discoveryCpu: number[] = [];
    const mappingCpu: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const [, ws, dc] = await time(() => discoverWorkspace(createMemoryReader(files)));
      discoveryCpu.push(dc);
      const failures = [failureIn(target)];
      const [, , mc] = await time(async () =>
        buildScope({ workspace: ws, mapping: mapBatch({ workspace: ws, failures, changedFiles: changed }), failures }),
      );
      mappingCpu.push(mc);
    }
    const { workspace, mapping, plan } = await discoverAndMap(createLocalReader(root), target, changed);
    console.error(
      `discovered ${workspace.packages.length} packages; scope: ${mapping.units.map((u) => `${u.name} (${u.role})`).join(", ")}`,
    );

    // Clones: a bare repository that serves partial clones over file:// (the pack protocol, not hardlinks).
    const bare = path.join(work, "repo.git");
    await git(["clone", "-q", "--bare", root, bare], work);
    await git(["config", "uploadpack.allowFilter", "true"], bare);
    await git(["gc", "-q"], bare);
    const url = `file://${bare}`;
    const full: { t: number; git: number; tree: number }[] = [];
    const sparse: { t: number; git: number; tree: number; files: number }[] = [];
    for (let i = 0; i < CLONE_RUNS; i++) {
      const f = path.join(work, `full-${i}`);
      const [tf] = await time(() => git(["clone", "-q", url, f], work));
      const fg = await du(path.join(f, ".git"));
      full.push({ t: tf, git: fg, tree: (await du(f)) - fg });
      const s = path.join(work, `sparse-${i}`);
      const [ts] = await time(async () => {
        await git(["clone", "-q", "--filter=blob:none", "--no-checkout", "--sparse", url, s], work);
        await git(["sparse-checkout", "set", "--cone", ...plan.dirs], s);
        await git(["checkout", "-q", "main"], s);
      });
      const sg = await du(path.join(s, ".git"));
      const checkedOut = (await exec("sh", ["-c", "git ls-files -t | grep -vc '^S'"], { cwd: s })).stdout.trim();
      sparse.push({ t: ts, git: sg, tree: (await du(s)) - sg, files: Number(checkedOut) });
      await rm(f, { recursive: true, force: true, maxRetries: 5 });
      await rm(s, { recursive: true, force: true, maxRetries: 5 });
    }
    const packBytes = await du(path.join(bare, "objects"));

    const load = (await readFile("/proc/loadavg", "utf8").catch(() => "?")).split(" ").slice(0, 3).join(" ");
    const row = (name: string) => ({
      wallMs: median(wall.get(name)!),
      wallP95Ms: p95(wall.get(name)!),
      cpuMs: median(cpu.get(name)!),
    });
    const timings = Object.fromEntries(Object.keys(variants).map((k) => [k, row(k)]));
    const ours = row("ours, local clone (git index listing)");
    const base = row("baseline: git ls-files + read/parse every package.json");
    const out = {
      packages: PACKAGES,
      files: fileCount,
      runs: RUNS,
      loadAverage: load,
      timings,
      discoveryCpuMs: median(discoveryCpu),
      mappingCpuMs: median(mappingCpu),
      ratio: { wall: ours.wallMs / base.wallMs, cpu: ours.cpuMs / base.cpuMs },
      scope: { units: mapping.units.map((u) => ({ name: u.name, role: u.role })), sparseDirs: plan.dirs.length },
      clone: {
        repositoryObjectsBytes: packBytes,
        full: {
          medianMs: median(full.map((x) => x.t)),
          gitBytes: median(full.map((x) => x.git)),
          treeBytes: median(full.map((x) => x.tree)),
        },
        sparse: {
          medianMs: median(sparse.map((x) => x.t)),
          gitBytes: median(sparse.map((x) => x.git)),
          treeBytes: median(sparse.map((x) => x.tree)),
          checkedOutFiles: median(sparse.map((x) => x.files)),
        },
      },
    };
    const c = out.clone;
    const lines = [
      `## monorepo: ${PACKAGES} packages, ${fileCount} files, median of ${RUNS} runs (load average ${load})`,
      "",
      "| discovery + mapping + scope + sparse plan | wall | wall p95 | CPU |",
      "| --- | --- | --- | --- |",
      ...Object.entries(timings).map(([k, t]) => `| ${k} | ${ms(t.wallMs)} | ${ms(t.wallP95Ms)} | ${ms(t.cpuMs)} |`),
      "",
      `ours / (git ls-files + manifests): ${out.ratio.wall.toFixed(2)}× wall, ${out.ratio.cpu.toFixed(2)}× CPU; ` +
        `CPU of discovery alone ${ms(out.discoveryCpuMs)}, of mapping + scope ${ms(out.mappingCpuMs)} (from memory)`,
      `scope: ${out.scope.units.map((u) => `${u.name} (${u.role})`).join(", ")}; ${out.scope.sparseDirs} sparse directories`,
      "",
      "| clone over file:// | time | .git | work tree |",
      "| --- | --- | --- | --- |",
      `| full \`git clone\` | ${ms(c.full.medianMs)} | ${mib(c.full.gitBytes)} | ${mib(c.full.treeBytes)} |`,
      `| \`--filter=blob:none --sparse\` + cone set + checkout | ${ms(c.sparse.medianMs)} | ${mib(c.sparse.gitBytes)} | ${mib(c.sparse.treeBytes)} (${c.sparse.checkedOutFiles} files) |`,
      `| sparse / full | ${(c.sparse.medianMs / c.full.medianMs).toFixed(2)}× | ${(c.sparse.gitBytes / c.full.gitBytes).toFixed(3)}× | ${(c.sparse.treeBytes / c.full.treeBytes).toFixed(3)}× |`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
    const resultsDir = path.join(import.meta.dirname, "..", "results");
    await mkdir(resultsDir, { recursive: true });
    await writeFile(path.join(resultsDir, "monorepo.json"), `${JSON.stringify(out, null, 2)}\n`);
    await stat(resultsDir);
  } finally {
    await rm(work, { recursive: true, force: true, maxRetries: 5 });
  }
}

await main();
