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
import { packageDir, packageName, writeSyntheticRepo } from "./synthetic-repo.js";

const exec = promisify(execFile);
const PACKAGES = Number(process.env.PACKAGES ?? 2000);
const SOURCE_BYTES = Number(process.env.SOURCE_BYTES ?? 12_000);
const RUNS = Number(process.env.RUNS ?? 15);
const CLONE_RUNS = Number(process.env.CLONE_RUNS ?? 3);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;
const mib = (b: number) => `${(b / 1024 / 1024).toFixed(2)} MiB`;

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const value = await fn();
  return [performance.now() - start, value];
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
    const target = PACKAGES - 1; // the deepest package: the longest dependency chains
    const changed = [`${packageDir(0)}/src/lib.ts`];

    // Warm-up (JIT, page cache), then interleaved runs so drift hits every variant alike.
    for (let i = 0; i < 3; i++) {
      await bareWalk(root);
      await walkAndReadManifests(root);
      await discoverAndMap(createLocalReader(root), target, changed);
    }
    const walkT: number[] = [];
    const manifestsT: number[] = [];
    const oursT: number[] = [];
    const discoveryT: number[] = [];
    const mappingT: number[] = [];
    const memoryT: number[] = [];
    // The GitHub API path: paths and manifests already fetched into memory.
    const files = new Map<string, string>();
    for (const f of await bareWalk(root))
      if (f.endsWith(".json")) files.set(f, await readFile(path.join(root, f), "utf8"));
    for (const f of await bareWalk(root)) if (!files.has(f)) files.set(f, "");
    let result: Awaited<ReturnType<typeof discoverAndMap>> | undefined;
    for (let i = 0; i < RUNS; i++) {
      walkT.push((await time(() => bareWalk(root)))[0]);
      manifestsT.push((await time(() => walkAndReadManifests(root)))[0]);
      const reader = createLocalReader(root);
      const [total, r] = await time(() => discoverAndMap(reader, target, changed));
      oursT.push(total);
      result = r;
      const [dt, ws] = await time(() => discoverWorkspace(createLocalReader(root)));
      discoveryT.push(dt);
      const failures = [failureIn(target)];
      mappingT.push(
        (
          await time(async () => {
            const mapping = mapBatch({ workspace: ws, failures, changedFiles: changed });
            return buildScope({ workspace: ws, mapping, failures });
          })
        )[0],
      );
      memoryT.push((await time(() => discoverAndMap(createMemoryReader(files), target, changed)))[0]);
    }
    const { workspace, mapping, plan } = result!;
    console.error(
      `discovered ${workspace.packages.length} packages; scope: ${mapping.units.map((u) => `${u.name} (${u.role})`).join(", ")}`,
    );
    console.error(`sparse dirs: ${plan.dirs.length} (${plan.dirs.slice(0, 4).join(", ")}…)`);

    // Clones: a bare repository that serves partial clones over file:// (the pack protocol, not hardlinks).
    await git(["init", "-q", "-b", "main"], root);
    await git(["add", "-A"], root);
    await git(
      [
        "-c",
        "user.name=bench",
        "-c",
        "user.email=bench@example.com",
        "-c",
        "gc.auto=0",
        "commit",
        "-q",
        "-m",
        "synthetic",
      ],
      root,
    );
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
      const { stdout } = await exec("git", ["ls-files"], { cwd: s, maxBuffer: 64 * 1024 * 1024 });
      const checkedOut = (await exec("sh", ["-c", "git ls-files -t | grep -vc '^S'"], { cwd: s })).stdout.trim();
      sparse.push({ t: ts, git: sg, tree: (await du(s)) - sg, files: Number(checkedOut) || stdout.split("\n").length });
      await rm(f, { recursive: true, force: true });
      await rm(s, { recursive: true, force: true });
    }
    const packBytes = await du(path.join(bare, "objects"));

    const out = {
      packages: PACKAGES,
      files: fileCount,
      runs: RUNS,
      discoveryAndMapping: {
        totalMedianMs: median(oursT),
        totalP95Ms: p95(oursT),
        discoveryMedianMs: median(discoveryT),
        mappingMedianMs: median(mappingT),
        inMemoryMedianMs: median(memoryT),
        baselineWalkMedianMs: median(walkT),
        baselineWalkAndManifestsMedianMs: median(manifestsT),
        ratioToWalk: median(oursT) / median(walkT),
        ratioToWalkAndManifests: median(oursT) / median(manifestsT),
      },
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
    const d = out.discoveryAndMapping;
    const c = out.clone;
    console.log(`## monorepo (${PACKAGES} packages, ${fileCount} files, ${RUNS} runs, median)`);
    console.log("| measurement | time |");
    console.log("| --- | --- |");
    console.log(
      `| discovery + mapping + scope + sparse plan (local clone) | ${ms(d.totalMedianMs)} (p95 ${ms(d.totalP95Ms)}) |`,
    );
    console.log(`| of which discovery | ${ms(d.discoveryMedianMs)} |`);
    console.log(`| of which mapping + scope | ${ms(d.mappingMedianMs)} |`);
    console.log(`| the same from memory (API path, contents fetched) | ${ms(d.inMemoryMedianMs)} |`);
    console.log(
      `| baseline: bare directory walk | ${ms(d.baselineWalkMedianMs)} (ours ${d.ratioToWalk.toFixed(2)}×) |`,
    );
    console.log(
      `| baseline: walk + read/parse every package.json | ${ms(d.baselineWalkAndManifestsMedianMs)} (ours ${d.ratioToWalkAndManifests.toFixed(2)}×) |`,
    );
    console.log("");
    console.log(
      `scope: ${out.scope.units.map((u) => `${u.name} (${u.role})`).join(", ")}; ${out.scope.sparseDirs} sparse directories`,
    );
    console.log("");
    console.log("| clone over file:// | time | .git | work tree |");
    console.log("| --- | --- | --- | --- |");
    console.log(`| full \`git clone\` | ${ms(c.full.medianMs)} | ${mib(c.full.gitBytes)} | ${mib(c.full.treeBytes)} |`);
    console.log(
      `| \`--filter=blob:none --sparse\` + cone set + checkout | ${ms(c.sparse.medianMs)} | ${mib(c.sparse.gitBytes)} | ${mib(c.sparse.treeBytes)} (${c.sparse.checkedOutFiles} files) |`,
    );
    console.log(
      `| sparse / full | ${(c.sparse.medianMs / c.full.medianMs).toFixed(2)}× | ${(c.sparse.gitBytes / c.full.gitBytes).toFixed(3)}× | ${(c.sparse.treeBytes / c.full.treeBytes).toFixed(3)}× |`,
    );
    const resultsDir = path.join(import.meta.dirname, "..", "results");
    await mkdir(resultsDir, { recursive: true });
    await writeFile(path.join(resultsDir, "monorepo.json"), `${JSON.stringify(out, null, 2)}\n`);
    await stat(resultsDir);
  } finally {
    await rm(work, { recursive: true, force: true, maxRetries: 5 });
  }
}

await main();
