import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dockerAvailable, ensureDockerEngine, ensureSandboxImage } from "@fixfleet/testkit";
import type Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox, type Sandbox } from "../src/index.js";

const MiB = 1024 * 1024;

describe.skipIf(!dockerAvailable())("a workspace kept in memory", () => {
  let docker: Docker;
  let sandbox: Sandbox;
  let host: string;

  beforeAll(async () => {
    docker = await ensureDockerEngine();
    host = mkdtempSync(join(tmpdir(), "fixfleet-memws-"));
    mkdirSync(join(host, "src"));
    writeFileSync(join(host, "src/a.ts"), "export const a = 1;\n");
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], { cwd: host, stdio: "pipe" });
    git("init", "-q");
    git("add", "-A");
    git("commit", "-qm", "start");
    sandbox = await createSandbox(docker, {
      image: await ensureSandboxImage(docker),
      jobId: "memory-workspace",
      workerId: "test-memory-workspace",
      ttlMs: 5 * 60_000,
      workspace: "memory",
      limits: { workspaceBytes: 24 * MiB },
    });
  });

  afterAll(async () => {
    await sandbox?.destroy();
    rmSync(host, { recursive: true, force: true });
  });

  it("is a size-capped tmpfs volume with our labels, owned by the sandbox user", async () => {
    const volume = await docker.getVolume(sandbox.volumeName).inspect();
    expect(volume.Labels).toMatchObject({
      "fixfleet.job": "memory-workspace",
      "fixfleet.worker": "test-memory-workspace",
    });
    expect(volume.Options).toMatchObject({ type: "tmpfs" });
    const r = await sandbox.exec("stat -c '%U %a' /workspace && grep ' /workspace ' /proc/mounts");
    expect(r.exitCode).toBe(0);
    const [owner, mount] = r.stdout.trim().split("\n");
    expect(owner).toBe("sandbox 755");
    expect(mount).toMatch(/^tmpfs \/workspace tmpfs rw,nosuid,nodev,.*size=24576k/);
    const info = await docker.getContainer(sandbox.id).inspect();
    expect(info.HostConfig.ReadonlyRootfs).toBe(true);
  });

  it("takes a copied tree and diffs it like a disk workspace", async () => {
    await sandbox.copyIn(host);
    await sandbox.writeFile("src/a.ts", "export const a = 2;\n");
    const { files } = await sandbox.diff();
    expect(files.map((f) => [f.path, f.status])).toEqual([["src/a.ts", "modified"]]);
  });

  it("refuses writes past its cap instead of filling the host", async () => {
    const r = await sandbox.exec("head -c 40000000 /dev/zero > /workspace/fill; echo rc=$?; rm -f /workspace/fill");
    expect(r.stdout).toContain("rc=1");
    expect(r.stderr).toMatch(/No space left on device/);
  });

  it("is gone with its sandbox", async () => {
    const probe = await createSandbox(docker, {
      image: await ensureSandboxImage(docker),
      jobId: "memory-workspace-gone",
      workerId: "test-memory-workspace",
      ttlMs: 60_000,
      workspace: "memory",
    });
    await probe.destroy();
    await expect(docker.getVolume(probe.volumeName).inspect()).rejects.toMatchObject({ statusCode: 404 });
    await expect(docker.getContainer(probe.id).inspect()).rejects.toMatchObject({ statusCode: 404 });
  });
});
