/**
 * Monorepo scoping benchmark (issue 9): discovery + mapping on a synthetic repository of 2,000
 * packages against baselines measured in the same run, and a sparse partial clone of one
 * package against a full clone, both over file:// with real git.
 *
 *   npm run bench -w @fixfleet/monorepo            (PACKAGES=2000 SOURCE_BYTES=12000 RUNS=15 CLONE_RUNS=3)
 *
 * CLONE_RUNS=0 skips the clone comparison.
 */
import { execFile, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
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
  type RepoReader,
  sparseCheckoutPlan,
} from "../../packages/monorepo/src/index.js";
import { readGitIndexPaths } from "../../packages/monorepo/src/reader/git-index-paths.js";
import { packageDir, writeSyntheticRepo } from "./synthetic-repo.js";

const exec = promisify(execFile);
const PACKAGES = Number(process.env.PACKAGES ?? 2000);
const SOURCE_BYTES = Number(process.env.SOURCE_BYTES ?? 12_000);
const RUNS = Number(process.env.RUNS ?? 15);
const CLONE_RUNS = Number(process.env.CLONE_RUNS ?? 3);
const loadAverage = async () =>
  (await readFile("/proc/loadavg", "utf8").catch(() => "?")).split(" ").slice(0, 3).join(" ");
/** The manifest and workspace-marker names discovery looks for, as git pathspecs (the "list only manifests" idea). */
const MANIFEST_PATHSPECS = [
  "package.json",
  "project.json",
  "Cargo.toml",
  "go.mod",
  "pyproject.toml",
  "pnpm-workspace.yaml",
  "go.work",
  "lerna.json",
  "nx.json",
].flatMap((name) => [`:(glob)${name}`, `:(glob)**/${name}`]);

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

async function gitManifests(root: string): Promise<string[]> {
  const { stdout } = await exec("git", ["ls-files", "-z"], { cwd: root, maxBuffer: 256 * 1024 * 1024 });
  return stdout.split("\0").filter((f) => f.endsWith("/package.json") || f === "package.json");
}

/** Baseline 3: the clone's index listing plus reading (fs.promises, all at once) and parsing every package.json. */
async function gitListAndReadManifests(root: string): Promise<number> {
  const manifests = await gitManifests(root);
  const parsed = await Promise.all(manifests.map(async (f) => JSON.parse(await readFile(path.join(root, f), "utf8"))));
  return parsed.length;
}

/**
 * Baseline 4, the floor: the index listing, then every package.json read with readFileSync and
 * parsed in one loop that never lets the event loop turn (no discovery can do less I/O).
 */
async function gitListAndReadManifestsSync(root: string): Promise<number> {
  const manifests = await gitManifests(root);
  let n = 0;
  for (const f of manifests) if (JSON.parse(readFileSync(path.join(root, f), "utf8"))) n++;
  return n;
}

/** The reader as it was before this work: `git ls-files` for the list, one fs.promises.readFile per file. */
function promisesReader(root: string): RepoReader {
  let listing: Promise<string[]> | undefined;
  return {
    listFiles: () => {
      listing ??= exec("git", ["-c", "core.quotePath=off", "ls-files", "-z", "--cached"], {
        cwd: root,
        maxBuffer: 512 * 1024 * 1024,
      }).then(({ stdout }) => stdout.split("\0").filter((f) => f !== "" && !/(?:^|\/)node_modules\//.test(f)));
      return listing;
    },
    readFile: (file) =>
      readFile(path.join(root, file), "utf8").catch((error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT" || error.code === "EISDIR" || error.code === "ENOTDIR") return undefined;
        throw error;
      }),
  };
}

/** Reading the manifests from git's object store: `ls-files -s` for blob ids, one `cat-file --batch` for contents. */
async function catFileManifests(root: string): Promise<number> {
  const { stdout } = await exec("git", ["ls-files", "-s", "-z", "--", ...MANIFEST_PATHSPECS], {
    cwd: root,
    maxBuffer: 256 * 1024 * 1024,
  });
  const oids = stdout
    .split("\0")
    .filter((l) => l.endsWith("package.json"))
    .map((l) => l.split(" ")[1]!);
  const child = spawn("git", ["cat-file", "--batch"], { cwd: root, stdio: ["pipe", "pipe", "ignore"] });
  const chunks: Buffer[] = [];
  child.stdout.on("data", (c: Buffer) => chunks.push(c));
  const closed = new Promise((resolve) => child.on("close", resolve));
  child.stdin.end(`${oids.join("\n")}\n`);
  await closed;
  const out = Buffer.concat(chunks);
  let pos = 0;
  let n = 0;
  while (pos < out.length) {
    const nl = out.indexOf(10, pos);
    const size = Number(out.toString("latin1", pos, nl).split(" ")[2]);
    JSON.parse(out.toString("utf8", nl + 1, nl + 1 + size));
    pos = nl + 1 + size + 1;
    n++;
  }
  return n;
}

/** fs.promises.readFile with at most `limit` reads in flight. */
async function boundedPromisesReads(root: string, files: readonly string[], limit: number): Promise<number> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < files.length) await readFile(path.join(root, files[next++]!), "utf8");
    }),
  );
  return files.length;
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

async function discoverAndMap(reader: RepoReader, target: number, changed: string[]) {
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
      "baseline: git ls-files + read/parse every package.json (fs.promises, all at once)": () =>
        gitListAndReadManifests(root),
      "baseline: git ls-files + read/parse every package.json (readFileSync loop: the floor)": () =>
        gitListAndReadManifestsSync(root),
      "before: local clone, `git ls-files` + one fs.promises.readFile per manifest": () =>
        discoverAndMap(promisesReader(root), target, changed),
      "ours, local clone (git index listing)": () => discoverAndMap(createLocalReader(root), target, changed),
      "ours, local tree (directory walk)": () =>
        discoverAndMap(createLocalReader(root, { listing: "walk" }), target, changed),
      "ours, in memory (API path, contents fetched)": () => discoverAndMap(createMemoryReader(files), target, changed),
    };
    // The ideas for the clone path, each measured on its own: how to list, how to read 2,000 manifests.
    const manifests = await gitManifests(root);
    const reader = createLocalReader(root);
    const components: Record<string, () => Promise<unknown>> = {
      "list: `.git/index` read and parsed in process (ours)": () => readGitIndexPaths(root),
      "list: `git ls-files -z`, every file (before; ours when the index is split or sparse)": () =>
        exec("git", ["-c", "core.quotePath=off", "ls-files", "-z", "--cached"], { cwd: root, maxBuffer: 1 << 28 }),
      "list: `git ls-files -z` with manifest pathspecs only": () =>
        exec("git", ["ls-files", "-z", "--", ...MANIFEST_PATHSPECS], { cwd: root, maxBuffer: 1 << 28 }),
      "read+parse: fs.promises.readFile, all at once (before)": () =>
        Promise.all(manifests.map(async (f) => JSON.parse(await readFile(path.join(root, f), "utf8")))),
      "read: fs.promises.readFile, 16 in flight": () => boundedPromisesReads(root, manifests, 16),
      "read+parse: `ls-files -s` + one `cat-file --batch` (object store)": () => catFileManifests(root),
      "read+parse: coalesced synchronous slices (ours)": () =>
        Promise.all(manifests.map(async (f) => JSON.parse((await reader.readFile(f)) ?? "null"))),
      "read+parse: readFileSync loop, never yielding (floor)": async () => {
        for (const f of manifests) JSON.parse(readFileSync(path.join(root, f), "utf8"));
      },
    };

    const measure = async (set: Record<string, () => Promise<unknown>>) => {
      const wall = new Map<string, number[]>(Object.keys(set).map((k) => [k, []]));
      const cpu = new Map<string, number[]>(Object.keys(set).map((k) => [k, []]));
      // Warm-up (JIT, page cache), then interleaved runs so drift on a shared machine hits every variant alike.
      for (let i = 0; i < 2; i++) for (const fn of Object.values(set)) await fn();
      for (let i = 0; i < RUNS; i++) {
        for (const [name, fn] of Object.entries(set)) {
          const [w, , c] = await time(fn);
          wall.get(name)!.push(w);
          cpu.get(name)!.push(c);
        }
      }
      return { wall, cpu };
    };
    const loadBefore = await loadAverage();
    const { wall, cpu } = await measure(variants);
    const parts = await measure(components);
    const loadAfter = await loadAverage();
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

    const load = `${loadBefore} before, ${loadAfter} after`;
    const rowOf = (set: { wall: Map<string, number[]>; cpu: Map<string, number[]> }) => (name: string) => ({
      wallMs: median(set.wall.get(name)!),
      wallP95Ms: p95(set.wall.get(name)!),
      cpuMs: median(set.cpu.get(name)!),
    });
    const row = rowOf({ wall, cpu });
    const timings = Object.fromEntries(Object.keys(variants).map((k) => [k, row(k)]));
    const componentTimings = Object.fromEntries(Object.keys(components).map((k) => [k, rowOf(parts)(k)]));
    const ours = row("ours, local clone (git index listing)");
    const before = row("before: local clone, `git ls-files` + one fs.promises.readFile per manifest");
    const floor = row("baseline: git ls-files + read/parse every package.json (readFileSync loop: the floor)");
    const base = row("baseline: git ls-files + read/parse every package.json (fs.promises, all at once)");
    const TARGET_MS = 200;
    const cloned = full.length > 0;
    const out = {
      packages: PACKAGES,
      files: fileCount,
      runs: RUNS,
      loadAverage: load,
      timings,
      components: componentTimings,
      discoveryCpuMs: median(discoveryCpu),
      mappingCpuMs: median(mappingCpu),
      target: { wallMs: TARGET_MS, met: ours.wallMs < TARGET_MS, p95Met: ours.wallP95Ms < TARGET_MS },
      ratio: {
        oursOverBefore: { wall: ours.wallMs / before.wallMs, cpu: ours.cpuMs / before.cpuMs },
        oursOverFloor: { wall: ours.wallMs / floor.wallMs, cpu: ours.cpuMs / floor.cpuMs },
        oursOverPromisesBaseline: { wall: ours.wallMs / base.wallMs, cpu: ours.cpuMs / base.cpuMs },
      },
      scope: { units: mapping.units.map((u) => ({ name: u.name, role: u.role })), sparseDirs: plan.dirs.length },
      clone: cloned
        ? {
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
          }
        : undefined,
    };
    const r = out.ratio;
    const table = (rows: Record<string, { wallMs: number; wallP95Ms: number; cpuMs: number }>) =>
      Object.entries(rows).map(([k, t]) => `| ${k} | ${ms(t.wallMs)} | ${ms(t.wallP95Ms)} | ${ms(t.cpuMs)} |`);
    const lines = [
      `## monorepo: ${PACKAGES} packages, ${fileCount} files, median of ${RUNS} runs (load average ${load})`,
      "",
      "| discovery + mapping + scope + sparse plan | wall | wall p95 | CPU |",
      "| --- | --- | --- | --- |",
      ...table(timings),
      "",
      `target: local clone under ${TARGET_MS} ms wall: median ${ms(ours.wallMs)} (${out.target.met ? "met" : "NOT met"}), ` +
        `p95 ${ms(ours.wallP95Ms)} (${out.target.p95Met ? "met" : "NOT met"})`,
      `ours / before: ${r.oursOverBefore.wall.toFixed(2)}× wall, ${r.oursOverBefore.cpu.toFixed(2)}× CPU; ` +
        `ours / floor: ${r.oursOverFloor.wall.toFixed(2)}× wall, ${r.oursOverFloor.cpu.toFixed(2)}× CPU; ` +
        `ours / (ls-files + fs.promises reads): ${r.oursOverPromisesBaseline.wall.toFixed(2)}× wall, ${r.oursOverPromisesBaseline.cpu.toFixed(2)}× CPU`,
      `CPU of discovery alone ${ms(out.discoveryCpuMs)}, of mapping + scope ${ms(out.mappingCpuMs)} (from memory)`,
      `scope: ${out.scope.units.map((u) => `${u.name} (${u.role})`).join(", ")}; ${out.scope.sparseDirs} sparse directories`,
      "",
      `| clone path, one step at a time (${manifests.length} package.json) | wall | wall p95 | CPU |`,
      "| --- | --- | --- | --- |",
      ...table(componentTimings),
    ];
    const c = out.clone;
    if (c) {
      lines.push(
        "",
        "| clone over file:// | time | .git | work tree |",
        "| --- | --- | --- | --- |",
        `| full \`git clone\` | ${ms(c.full.medianMs)} | ${mib(c.full.gitBytes)} | ${mib(c.full.treeBytes)} |`,
        `| \`--filter=blob:none --sparse\` + cone set + checkout | ${ms(c.sparse.medianMs)} | ${mib(c.sparse.gitBytes)} | ${mib(c.sparse.treeBytes)} (${c.sparse.checkedOutFiles} files) |`,
        `| sparse / full | ${(c.sparse.medianMs / c.full.medianMs).toFixed(2)}× | ${(c.sparse.gitBytes / c.full.gitBytes).toFixed(3)}× | ${(c.sparse.treeBytes / c.full.treeBytes).toFixed(3)}× |`,
      );
    }
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
