/**
 * Benchmarks of @fixfleet/github (issue 6), as ratios against baselines measured in the same run:
 *  1. log extraction on a 200 MB job log: MB/s and output size, against only splitting the same
 *     bytes into lines (the floor any line-based reader pays);
 *  2. partial (blob-less) + sparse clone of one package against a full clone, of a synthetic
 *     monorepo of 2,000 packages served by the fake GitHub's git backend: bytes on disk and time.
 * Usage: npm run bench -w @fixfleet/github   (env LOG_MB=200 PACKAGES=2000 RUNS=3)
 * Raw figures: bench/results/github.json (not committed).
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { cloneRepository, extractLog, splitLines } from "@fixfleet/github";
import { startFakeGitHub } from "@fixfleet/testkit";
import { syntheticJobLog } from "../../packages/github/test/large-log.js";

const LOG_MB = Number(process.env.LOG_MB ?? 200);
const PACKAGES = Number(process.env.PACKAGES ?? 2000);
const RUNS = Number(process.env.RUNS ?? 3);
const run = promisify(execFile);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const MB = 1024 * 1024;

async function benchLogs() {
  const chunks = [...syntheticJobLog(LOG_MB * MB)];
  const bytes = chunks.reduce((s, c) => s + c.length, 0);
  const base: number[] = [];
  const ours: number[] = [];
  let outputChars = 0;
  let peakHeap = 0;
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now();
    let lines = 0;
    for await (const _ of splitLines(chunks)) lines++;
    base.push(performance.now() - t);
    t = performance.now();
    const { text } = await extractLog(chunks);
    ours.push(performance.now() - t);
    outputChars = text.length;
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    if (lines === 0) throw new Error("no lines");
  }
  const mbps = (ms: number) => bytes / MB / (ms / 1000);
  return {
    logMiB: +(bytes / MB).toFixed(1),
    baselineSplitMBps: +mbps(median(base)).toFixed(1),
    extractionMBps: +mbps(median(ours)).toFixed(1),
    ratioToBaseline: +(median(ours) / median(base)).toFixed(2),
    outputChars,
    heapUsedMiBAfter: +(peakHeap / MB).toFixed(0),
  };
}

/** Pseudo-random text, so git's compression cannot make the contents vanish. */
function noise(seed: number, size: number): string {
  let x = seed * 2654435761 + 1;
  let out = "";
  while (out.length < size) {
    x = (x * 1103515245 + 12345) >>> 0;
    out += `export const v${x.toString(36)} = ${x % 9973};\n`;
  }
  return out;
}

async function du(dir: string): Promise<number> {
  const { stdout } = await run("du", ["-sb", dir]);
  return Number(stdout.split("\t")[0]);
}

async function benchClone() {
  const gh = await startFakeGitHub();
  try {
    const files: Record<string, string> = {
      "package.json": JSON.stringify({ private: true, workspaces: ["packages/*"] }),
    };
    for (let i = 0; i < PACKAGES; i++) {
      const name = `pkg-${String(i).padStart(4, "0")}`;
      files[`packages/${name}/package.json`] = JSON.stringify({ name: `@synthetic/${name}`, version: "1.0.0" });
      files[`packages/${name}/src/index.ts`] = noise(i, 8_000);
      files[`packages/${name}/README.md`] = `# ${name}\n`;
    }
    const t0 = performance.now();
    const repo = await gh.createRepository({ owner: "bench", name: "mono", files });
    const seedMs = performance.now() - t0;
    const { token } = await gh.createInstallationToken("bench");
    const parent = mkdtempSync(join(tmpdir(), "fixfleet-bench-clone-"));
    const full = { ms: [] as number[], bytes: 0, files: 0 };
    const partial = { ms: [] as number[], bytes: 0, files: 0 };
    try {
      for (let i = 0; i < RUNS; i++) {
        const dir = join(parent, `full-${i}`);
        let t = performance.now();
        await run("git", ["clone", "--quiet", gh.cloneUrlWithToken("bench/mono", token), dir], {
          env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_TERMINAL_PROMPT: "0" },
        });
        full.ms.push(performance.now() - t);
        full.bytes = await du(dir);
        full.files = Number(
          (await run("git", ["ls-files"], { cwd: dir, maxBuffer: 64 * MB })).stdout.split("\n").length - 1,
        );
        rmSync(dir, { recursive: true, force: true });

        t = performance.now();
        const clone = await cloneRepository({
          cloneUrl: repo.cloneUrl,
          sha: repo.headSha,
          token: () => token,
          sparsePaths: ["packages/pkg-0042"],
          parentDir: parent,
        });
        partial.ms.push(performance.now() - t);
        partial.bytes = await du(clone.dir);
        const { stdout } = await run(
          "find",
          [clone.dir, "-path", `${clone.dir}/.git`, "-prune", "-o", "-type", "f", "-print"],
          {
            maxBuffer: 64 * MB,
          },
        );
        partial.files = stdout.trim().split("\n").length;
        await clone.cleanup();
      }
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
    return {
      packages: PACKAGES,
      seedMs: Math.round(seedMs),
      full: { medianMs: Math.round(median(full.ms)), bytes: full.bytes, checkedOutFiles: full.files },
      partialSparse: { medianMs: Math.round(median(partial.ms)), bytes: partial.bytes, checkedOutFiles: partial.files },
      timeRatio: +(median(partial.ms) / median(full.ms)).toFixed(3),
      bytesRatio: +(partial.bytes / full.bytes).toFixed(4),
    };
  } finally {
    await gh.stop();
  }
}

const { stdout: load } = await run("cat", ["/proc/loadavg"]);
const logs = await benchLogs();
process.stdout.write(`${JSON.stringify({ logs }, null, 2)}\n`);
const clone = await benchClone();
const result = { date: new Date().toISOString(), loadavg: load.trim(), runs: RUNS, logs, clone };
process.stdout.write(`${JSON.stringify({ clone }, null, 2)}\n`);
mkdirSync(new URL("../results/", import.meta.url), { recursive: true });
writeFileSync(new URL("../results/github.json", import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
