import { createServer, type Server } from "node:net";
import { PermanentError } from "@fixfleet/shared";
import { dockerAvailable, ensureDockerEngine, ensureSandboxImage } from "@fixfleet/testkit";
import type Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox, type Sandbox } from "../src/index.js";

const MiB = 1024 * 1024;

describe.skipIf(!dockerAvailable())("a sandbox is locked down", () => {
  let docker: Docker;
  let image: string;
  let sandbox: Sandbox;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    docker = await ensureDockerEngine();
    image = await ensureSandboxImage(docker);
    process.env.FIXFLEET_WORKER_SECRET = "worker-secret-value-1234";
    server = createServer((socket) => socket.end("hello from the host\n"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as { port: number }).port;
    sandbox = await createSandbox(docker, {
      image,
      jobId: "hardening",
      workerId: "test-hardening",
      ttlMs: 5 * 60_000,
      limits: { memoryBytes: 256 * MiB, pidsLimit: 64, cpus: 1 },
      runtime: "runc",
    });
  });

  afterAll(async () => {
    await sandbox?.destroy();
    server?.close();
    delete process.env.FIXFLEET_WORKER_SECRET;
  });

  it("applies the hardening options to the container", async () => {
    const info = await docker.getContainer(sandbox.id).inspect();
    const host = info.HostConfig;
    expect(host.NetworkMode).toBe("none");
    expect(host.CapDrop).toEqual(["ALL"]);
    expect(host.SecurityOpt).toContain("no-new-privileges:true");
    expect(host.SecurityOpt?.some((o: string) => o.startsWith("seccomp"))).toBe(false);
    expect(host.Init).toBe(true);
    expect(host.ReadonlyRootfs).toBe(true);
    expect(host.Privileged).toBe(false);
    expect(host.PidsLimit).toBe(64);
    expect(host.Memory).toBe(256 * MiB);
    expect(host.MemorySwap).toBe(256 * MiB);
    expect(host.NanoCpus).toBe(1e9);
    expect(host.Runtime).toBe("runc");
    expect(host.Binds ?? []).toEqual([]);
    expect(info.Mounts.map((m) => m.Type).sort()).toEqual(["volume"]);
    expect(info.Config.Cmd).toEqual(["sleep", "300"]);
    expect(info.Config.Labels).toMatchObject({ "fixfleet.job": "hardening", "fixfleet.worker": "test-hardening" });
    expect(Number(info.Config.Labels["fixfleet.expires"])).toBeGreaterThan(Date.now());
    const volume = await docker.getVolume(sandbox.volumeName).inspect();
    expect(volume.Labels).toMatchObject({ "fixfleet.job": "hardening", "fixfleet.worker": "test-hardening" });
  });

  it("cannot reach a server on the host's loopback, nor any outside address", async () => {
    const probe = (host: string, p: number) =>
      `const s=require("net").connect({host:"${host}",port:${p}});s.setTimeout(2000);` +
      `s.on("connect",()=>{console.log("CONNECTED");process.exit(0)});` +
      `s.on("timeout",()=>{console.log("TIMEOUT");process.exit(3)});` +
      `s.on("error",e=>{console.log("ERROR "+e.code);process.exit(2)});`;
    for (const [host, p] of [
      ["127.0.0.1", port],
      ["172.17.0.1", port],
      ["1.1.1.1", 53],
      ["8.8.8.8", 443],
    ] as const) {
      const r = await sandbox.exec(["node", "-e", probe(host, p)], { timeoutMs: 10_000 });
      expect(r.stdout, `${host}:${p}`).not.toContain("CONNECTED");
      expect(r.exitCode, `${host}:${p}`).not.toBe(0);
    }
    const interfaces = await sandbox.exec("cat /proc/net/dev");
    expect(interfaces.stdout).not.toMatch(/eth0/);
  });

  it("sees nothing of the worker's environment", async () => {
    const r = await sandbox.exec("env");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).not.toContain("worker-secret-value-1234");
    expect(r.stdout).not.toContain("FIXFLEET_WORKER_SECRET");
    for (const key of Object.keys(process.env)) {
      if (["PATH", "HOME", "HOSTNAME", "LANG", "PWD", "CI", "SHLVL", "OLDPWD", "_"].includes(key)) continue;
      expect(r.stdout).not.toMatch(new RegExp(`^${key}=`, "m"));
    }
  });

  it("runs as a non-root user that cannot write to /", async () => {
    const id = await sandbox.exec("id -u");
    expect(id.stdout.trim()).not.toBe("0");
    expect(id.stdout.trim()).toBe("10001");
    const write = await sandbox.exec("echo x > /owned && echo WROTE");
    expect(write.exitCode).not.toBe(0);
    expect(write.stdout).not.toContain("WROTE");
    const tmp = await sandbox.exec("echo x > /tmp/ok && echo x > $HOME/ok && echo x > /workspace/ok && echo OK");
    expect(tmp.stdout.trim()).toBe("OK");
  });

  it("stops a fork bomb with the pids limit and says so", async () => {
    const started = Date.now();
    const r = await sandbox.exec("bomb() { bomb | bomb & }; bomb; sleep 3", { timeoutMs: 20_000 });
    expect(r.pidsLimitHit).toBe(true);
    expect(Date.now() - started).toBeLessThan(15_000);
    const after = await sandbox.exec("echo alive");
    expect(after.stdout.trim()).toBe("alive");
  });

  it("reports a command killed for exceeding the memory limit", async () => {
    const r = await sandbox.exec(["node", "-e", "const a=[];for(;;){a.push(Buffer.alloc(16*1024*1024,1))}"], {
      timeoutMs: 30_000,
    });
    expect(r.oomKilled).toBe(true);
    expect(r.exitCode).toBe(137);
    const after = await sandbox.exec("echo alive");
    expect(after.stdout.trim()).toBe("alive");
  });

  it("refuses a root user, a missing image and a missing runtime with readable errors, leaving nothing", async () => {
    await expect(
      createSandbox(docker, { image, jobId: "x", workerId: "test-hardening", ttlMs: 1000, user: "0:0" }),
    ).rejects.toBeInstanceOf(PermanentError);
    await expect(
      createSandbox(docker, {
        image: "fixfleet-no-such-image:nope",
        jobId: "x",
        workerId: "test-hardening",
        ttlMs: 1000,
      }),
    ).rejects.toThrow(/not on this Docker engine/);
    // The OCI runtime is the operator's choice; one the engine lacks fails cleanly, by name.
    const runtimes = Object.keys((await docker.info()).Runtimes ?? {});
    if (!runtimes.includes("runsc")) {
      await expect(
        createSandbox(docker, { image, jobId: "x", workerId: "test-hardening", ttlMs: 1000, runtime: "runsc" }),
      ).rejects.toThrow(/runsc/);
    }
    const left = await docker.listVolumes({ filters: { label: ["fixfleet.job=x"] } });
    expect(left.Volumes ?? []).toEqual([]);
    expect(await docker.listContainers({ all: true, filters: { label: ["fixfleet.job=x"] } })).toEqual([]);
  });
});
