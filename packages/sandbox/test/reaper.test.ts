import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  dockerAvailable,
  ensureBusyboxImage,
  ensureDockerEngine,
  ensureSandboxImage,
  testRedisUrl,
  uniquePrefix,
} from "@fixfleet/testkit";
import type Docker from "dockerode";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createSandbox,
  type HeartbeatStore,
  memoryHeartbeats,
  reapSandboxes,
  redisHeartbeats,
  sandboxLabels,
  startReaper,
} from "../src/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../../..");

/**
 * Test files run at once on one engine: this reaper may only judge this test's workers, so
 * every other worker is reported alive.
 */
function onlyJudging(prefix: string, store: HeartbeatStore): HeartbeatStore {
  return {
    beat: (id, at) => store.beat(id, at),
    async lastSeen(ids) {
      const judged = await store.lastSeen(ids.filter((id) => id.startsWith(prefix)));
      return new Map(ids.map((id) => [id, id.startsWith(prefix) ? judged.get(id) : Date.now()]));
    },
  };
}

async function ours(docker: Docker, workerId: string): Promise<{ containers: number; volumes: number }> {
  const filters = { label: [`fixfleet.worker=${workerId}`] };
  const containers = await docker.listContainers({ all: true, filters });
  const volumes = (await docker.listVolumes({ filters })).Volumes ?? [];
  return { containers: containers.length, volumes: volumes.length };
}

describe.skipIf(!dockerAvailable())("the reaper", () => {
  let docker: Docker;
  let image: string;
  let redis: Redis;

  beforeAll(async () => {
    docker = await ensureDockerEngine();
    image = await ensureSandboxImage(docker);
    redis = new Redis(testRedisUrl());
  });

  afterAll(async () => {
    await redis?.quit();
  });

  it("leaves nothing behind of a worker killed mid-job", async () => {
    const prefix = uniquePrefix("reaper");
    const deadWorker = `${prefix}-dead`;
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(here, "fixtures/crash-mid-job.ts"), testRedisUrl(), prefix, deadWorker, image],
      { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
    );
    const name = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /READY (\S+)/.exec(out);
        if (m) resolve(m[1] as string);
      });
      child.on("exit", (code) => reject(new Error(`child exited early (${code})`)));
    });
    expect(await ours(docker, deadWorker)).toEqual({ containers: 1, volumes: 1 });
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));

    const heartbeats = onlyJudging(prefix, redisHeartbeats(redis, { prefix }));
    // While its heartbeat is fresh, the dead worker's sandbox is not touched.
    const early = await reapSandboxes(docker, { workerId: `${prefix}-reaper`, heartbeats, staleAfterMs: 60_000 });
    expect(early.containers).not.toContain(name);
    await new Promise((r) => setTimeout(r, 1200));
    const report = await reapSandboxes(docker, { workerId: `${prefix}-reaper`, heartbeats, staleAfterMs: 1000 });
    expect(report.containers).toContain(name);
    expect(report.volumes).toContain(`${name}-ws`);
    expect(report.failures).toEqual([]);
    expect(await ours(docker, deadWorker)).toEqual({ containers: 0, volumes: 0 });
  }, 60_000);

  it("removes expired sandboxes in any state, keeps live ones, and never touches unlabelled containers", async () => {
    const prefix = uniquePrefix("reaper");
    const me = `${prefix}-me`;
    const heartbeats = onlyJudging(prefix, memoryHeartbeats());
    const live = await createSandbox(docker, { image, jobId: "live", workerId: me, ttlMs: 60_000 });
    const busybox = await ensureBusyboxImage(docker);
    // Made by hand: never started ("created"), already expired, with all our labels.
    const expiredLabels = sandboxLabels({ jobId: "old", workerId: me, expiresAt: Date.now() - 1000 });
    const created = await docker.createContainer({ Image: busybox, Cmd: ["sleep", "1"], Labels: expiredLabels });
    const createdName = (await created.inspect()).Name.replace(/^\//, "");
    await docker.createVolume({ Name: `${prefix}-expired-ws`, Labels: expiredLabels });
    // Someone else's: partial or no labels.
    const foreign = await docker.createContainer({
      Image: busybox,
      Cmd: ["sleep", "1"],
      Labels: { "fixfleet.job": "x", "fixfleet.expires": "1" },
    });
    const plain = await docker.createContainer({ Image: busybox, Cmd: ["sleep", "1"] });
    try {
      const reaper = startReaper(docker, { workerId: me, heartbeats, intervalMs: 60_000, staleAfterMs: 5000 });
      const report = await reaper.firstPass;
      await reaper.stop();
      expect(report?.containers).toContain(createdName);
      expect(report?.volumes).toContain(`${prefix}-expired-ws`);
      expect((await docker.getContainer(live.id).inspect()).State.Running).toBe(true);
      await expect(docker.getContainer(foreign.id).inspect()).resolves.toBeTruthy();
      await expect(docker.getContainer(plain.id).inspect()).resolves.toBeTruthy();
      expect((await heartbeats.lastSeen([me])).get(me)).toBeGreaterThan(0);
    } finally {
      await live.destroy();
      await foreign.remove({ force: true });
      await plain.remove({ force: true });
    }
    // A second worker sees the first one's sandbox as an orphan once it stops beating.
    const orphan = await createSandbox(docker, { image, jobId: "orphan", workerId: `${prefix}-gone`, ttlMs: 60_000 });
    // Its worker never beat: while the sandbox is younger than staleAfterMs it is spared…
    const young = await reapSandboxes(docker, { workerId: me, heartbeats, staleAfterMs: 60_000 });
    expect(young.containers).not.toContain(orphan.name);
    // …and once older, it is an orphan.
    const later = await reapSandboxes(docker, {
      workerId: me,
      heartbeats,
      staleAfterMs: 5000,
      now: () => Date.now() + 10_000,
    });
    expect(later.containers).toContain(orphan.name);
    expect(later.volumes).toContain(orphan.volumeName);
    await orphan.destroy();
  }, 60_000);
  it("judges only its own fleet's sandboxes when given a fleet", async () => {
    const prefix = uniquePrefix("fleet");
    const busybox = await ensureBusyboxImage(docker);
    const expired = (fleet: string) => ({
      ...sandboxLabels({ jobId: "old", workerId: `${prefix}-w`, expiresAt: Date.now() - 1000 }),
      "fixfleet.fleet": fleet,
    });
    const mine = await docker.createContainer({ Image: busybox, Cmd: ["sleep", "1"], Labels: expired(`${prefix}-a`) });
    const mineName = (await mine.inspect()).Name.replace(/^\//, "");
    const theirs = await docker.createContainer({
      Image: busybox,
      Cmd: ["sleep", "1"],
      Labels: expired(`${prefix}-b`),
    });
    try {
      const report = await reapSandboxes(docker, {
        workerId: `${prefix}-me`,
        heartbeats: memoryHeartbeats(),
        fleet: `${prefix}-a`,
      });
      expect(report.containers).toEqual([mineName]);
      await expect(docker.getContainer(mine.id).inspect()).rejects.toMatchObject({ statusCode: 404 });
      await expect(docker.getContainer(theirs.id).inspect()).resolves.toBeTruthy();
    } finally {
      await theirs.remove({ force: true });
      await mine.remove({ force: true }).catch(() => {});
    }
  });
});
