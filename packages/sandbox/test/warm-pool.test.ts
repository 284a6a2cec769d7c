import { dockerAvailable, ensureDockerEngine, ensureSandboxImage, uniquePrefix } from "@fixfleet/testkit";
import type Docker from "dockerode";
import { beforeAll, describe, expect, it } from "vitest";
import { WarmPool } from "../src/index.js";

describe.skipIf(!dockerAvailable())("the warm pool", () => {
  let docker: Docker;
  let image: string;

  beforeAll(async () => {
    docker = await ensureDockerEngine();
    image = await ensureSandboxImage(docker);
  });

  it("hands each ready container out once, to one job, and refills", async () => {
    const workerId = uniquePrefix("pool");
    const pool = new WarmPool(docker, { image, size: 2, workerId, ttlMs: 60_000 });
    try {
      await pool.warm();
      expect(pool.available).toBe(2);
      const a = await pool.acquire("job-a");
      const b = await pool.acquire("job-b");
      expect(a.id).not.toBe(b.id);
      expect([a.jobId, b.jobId]).toEqual(["job-a", "job-b"]);
      expect((await a.exec("echo ready")).stdout).toBe("ready\n");
      await a.destroy();
      await b.destroy();
      await pool.warm();
      expect(pool.available).toBe(2);
      const c = await pool.acquire("job-c");
      expect([a.id, b.id]).not.toContain(c.id);
      await c.destroy();
    } finally {
      await pool.close();
    }
    const left = await docker.listContainers({ all: true, filters: { label: [`fixfleet.worker=${workerId}`] } });
    expect(left).toEqual([]);
  }, 60_000);

  it("creates a sandbox on demand when nothing is ready", async () => {
    const workerId = uniquePrefix("pool");
    const pool = new WarmPool(docker, { image, size: 0, workerId, ttlMs: 60_000 });
    try {
      const s = await pool.acquire("job-now");
      expect(s.jobId).toBe("job-now");
      await s.destroy();
    } finally {
      await pool.close();
    }
  }, 60_000);
});
