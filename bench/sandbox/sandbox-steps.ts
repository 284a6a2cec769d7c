/**
 * Where a sandbox's time goes, one Engine API call at a time, for a disk and a memory
 * workspace, interleaved round by round with `docker run --rm IMAGE true`. Also times the floor
 * under the copy and the removal: GNU tar extracting the same tar on the host, and `rm -rf` of
 * it, on the engine's file system and on a tmpfs.
 * Run: npm run bench:steps -w @fixfleet/sandbox   (ROUNDS=10 by default)
 */
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import type { Duplex, Readable } from "node:stream";
import { packDirectory } from "../../packages/sandbox/src/files/pack-directory.js";
import { containerSpec, resolveLimits, sandboxLabels } from "../../packages/sandbox/src/index.js";
import { ensureSandboxImage } from "../../packages/testkit/src/images/sandbox-image.js";
import { ensureDockerEngine } from "../../packages/testkit/src/services/docker-engine.js";

const rounds = Number(process.env.ROUNDS ?? 10);
const DOCKER_ROOT = process.env.DOCKER_ROOT ?? "/var/lib/docker";

function makeTree(): string {
  const dir = mkdtempSync(join(tmpdir(), "fixfleet-steps-tree-"));
  for (let d = 0; d < 16; d++) {
    mkdirSync(join(dir, `src/mod${d}`), { recursive: true });
    for (let f = 0; f < 10; f++) {
      const lines = Array.from({ length: 640 }, (_, i) => `export const v${i} = "${randomBytes(24).toString("hex")}";`);
      writeFileSync(join(dir, `src/mod${d}/file${f}.ts`), `${lines.join("\n")}\n`.slice(0, 40 * 1024));
    }
  }
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=b", "-c", "user.email=b@b", ...args], { cwd: dir });
  git("init", "-q");
  git("add", "-A");
  git("commit", "-qm", "bench");
  return dir;
}

async function tarOf(dir: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of packDirectory(dir, { uid: 10001, gid: 10001 }).stream as Readable) parts.push(chunk);
  return Buffer.concat(parts);
}

const times = new Map<string, number[]>();
async function lap<T>(key: string, call: () => Promise<T> | T): Promise<T> {
  const t = performance.now();
  const result = await call();
  const list = times.get(key) ?? [];
  list.push(performance.now() - t);
  times.set(key, list);
  return result;
}

const docker = await ensureDockerEngine();
const image = await ensureSandboxImage(docker);
const tree = makeTree();
const tar = await tarOf(tree);
const loadAtStart = loadavg();

async function execTar(container: import("dockerode").Container, k: (step: string) => string): Promise<void> {
  const exec = await lap(k("exec create (tar)"), () =>
    container.exec({
      Cmd: ["tar", "-x", "-p", "-f", "-", "-C", "/workspace"],
      User: "10001:10001",
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
    }),
  );
  await lap(k("exec start + stream 10 MB to tar"), async () => {
    const stream = (await exec.start({ hijack: true, stdin: true } as import("dockerode").ExecStartOptions)) as Duplex;
    const done = new Promise((resolve) => {
      stream.on("data", () => {});
      stream.on("end", resolve);
      stream.on("close", resolve);
    });
    stream.end(tar);
    await done;
  });
  const info = await lap(k("exec inspect (tar)"), () => exec.inspect());
  if (info.ExitCode !== 0) throw new Error(`tar exited ${info.ExitCode}`);
}

async function sandboxSteps(medium: "disk" | "memory"): Promise<void> {
  const name = `fixfleet-steps-${randomBytes(4).toString("hex")}`;
  const volumeName = `${name}-ws`;
  const labels = sandboxLabels({ jobId: "steps", workerId: "bench-steps", expiresAt: Date.now() + 10 * 60_000 });
  const k = (step: string) => `${medium}: ${step}`;
  const total = performance.now();
  await lap(k("volume create"), () =>
    docker.createVolume({
      Name: volumeName,
      Labels: labels,
      ...(medium === "memory"
        ? { DriverOpts: { type: "tmpfs", device: "tmpfs", o: "size=1g,uid=10001,gid=10001,mode=0755" } }
        : {}),
    }),
  );
  const spec = containerSpec({
    name,
    volumeName,
    image,
    ttlMs: 10 * 60_000,
    limits: resolveLimits({}),
    labels,
    user: "10001:10001",
    workdir: "/workspace",
    home: "/home/sandbox",
  });
  const container = await lap(k("container create"), () => docker.createContainer(spec));
  await lap(k("container start"), () => container.start());
  await execTar(container, k);
  const exec = await lap(k("exec create (true)"), () =>
    container.exec({ Cmd: ["true"], AttachStdout: true, AttachStderr: true }),
  );
  await lap(k("exec start + drain (true)"), async () => {
    const stream = (await exec.start({})) as Readable;
    await new Promise((resolve) => {
      stream.on("data", () => {});
      stream.on("end", resolve);
      stream.on("close", resolve);
    });
  });
  await lap(k("exec inspect (true)"), () => exec.inspect());
  await lap(k("container remove (force, v)"), () => container.remove({ force: true, v: true }));
  await lap(k("volume remove"), () => docker.getVolume(volumeName).remove());
  const list = times.get(k("total")) ?? [];
  list.push(performance.now() - total);
  times.set(k("total"), list);
}

function hostFloor(medium: "disk" | "memory"): void {
  const base = medium === "disk" ? DOCKER_ROOT : "/dev/shm";
  const dir = mkdtempSync(join(base, "fixfleet-steps-"));
  try {
    const t = performance.now();
    execFileSync("tar", ["-x", "-C", dir], { input: tar });
    const list = times.get(`floor ${medium}: host tar -x`) ?? [];
    list.push(performance.now() - t);
    times.set(`floor ${medium}: host tar -x`, list);
  } finally {
    const t = performance.now();
    rmSync(dir, { recursive: true, force: true });
    const list = times.get(`floor ${medium}: host rm -rf`) ?? [];
    list.push(performance.now() - t);
    times.set(`floor ${medium}: host rm -rf`, list);
  }
}

try {
  spawnSync("docker", ["run", "--rm", image, "true"]);
  for (let i = 0; i < rounds; i++) {
    const order = i % 2 === 0 ? (["disk", "memory"] as const) : (["memory", "disk"] as const);
    await lap("docker run --rm IMAGE true", () => {
      const run = spawnSync("docker", ["run", "--rm", image, "true"]);
      if (run.status !== 0) throw new Error(`docker run failed: ${run.stderr}`);
    });
    for (const medium of order) await sandboxSteps(medium);
    for (const medium of order) hostFloor(medium);
    process.stderr.write(".");
  }
} finally {
  rmSync(tree, { recursive: true, force: true });
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] as number;
const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(" ");
const lines = [
  "",
  `${rounds} rounds, tar ${(tar.length / 1024 / 1024).toFixed(1)} MB; load average at the start ${load(loadAtStart)}, at the end ${load(loadavg())}`,
  "",
  "| step | p50 ms |",
  "| --- | ---: |",
  ...[...times.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `| ${k} | ${median(v).toFixed(0)} |`),
  "",
];
process.stdout.write(lines.join("\n"));
