import { dockerAvailable, ensureDockerEngine, ensureSandboxImage } from "@fixfleet/testkit";
import type Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox, type Sandbox } from "../src/index.js";

describe.skipIf(!dockerAvailable())("exec in a sandbox", () => {
  let docker: Docker;
  let sandbox: Sandbox;

  beforeAll(async () => {
    docker = await ensureDockerEngine();
    sandbox = await createSandbox(docker, {
      image: await ensureSandboxImage(docker),
      jobId: "exec",
      workerId: "test-exec",
      ttlMs: 5 * 60_000,
    });
  });

  afterAll(async () => {
    await sandbox?.destroy();
  });

  it("returns exit code, separate stdout and stderr, and the duration", async () => {
    const r = await sandbox.exec("echo out; echo err >&2; exit 7");
    expect(r).toMatchObject({ exitCode: 7, stdout: "out\n", stderr: "err\n", truncated: false, timedOut: false });
    expect(r.oomKilled).toBe(false);
    expect(r.pidsLimitHit).toBe(false);
    expect(r.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("runs an argv without a shell, in the given directory with the given environment", async () => {
    const r = await sandbox.exec(["sh", "-c", 'printf "%s|%s|%s" "$PWD" "$GREETING" "$1"', "x", "a b;c"], {
      cwd: "/tmp",
      env: { GREETING: "hi there" },
    });
    expect(r.stdout).toBe("/tmp|hi there|a b;c");
  });

  it("gives stdin only when asked, /dev/null otherwise", async () => {
    const none = await sandbox.exec("cat; readlink /proc/self/fd/0");
    expect(none.stdout.trim()).toBe("/dev/null");
    const payload = Buffer.concat([Buffer.from("line one\n"), Buffer.alloc(200_000, 0x61)]);
    const given = await sandbox.exec("wc -c; ", { stdin: payload });
    expect(given.stdout.trim()).toBe(String(payload.length));
  });

  it("kills a command and its children at the timeout, and the next exec works", async () => {
    const started = Date.now();
    const r = await sandbox.exec("sleep 60 & sleep 61 & (trap '' TERM; sleep 62) & echo started; wait", {
      timeoutMs: 1500,
    });
    const elapsed = Date.now() - started;
    expect(r.timedOut).toBe(true);
    expect(r.stdout).toContain("started");
    expect(elapsed).toBeLessThan(1500 + 2000);
    const ps = await sandbox.exec("ps -eo args");
    expect(ps.stdout).not.toMatch(/sleep 6[012]/);
    const next = await sandbox.exec("echo next");
    expect(next).toMatchObject({ exitCode: 0, stdout: "next\n", timedOut: false });
  });

  it("kills what a command leaves running in its group when it ends", async () => {
    const r = await sandbox.exec("sleep 4321 >/dev/null 2>&1 & echo bg");
    expect(r.stdout).toBe("bg\n");
    const ps = await sandbox.exec("ps -eo args");
    expect(ps.stdout).not.toContain("sleep 4321");
  });

  it("stops a command that stays silent past the idle timeout, keeping what it printed", async () => {
    const started = Date.now();
    const r = await sandbox.exec("echo before; sleep 30; echo after", { idleTimeoutMs: 800, timeoutMs: 20_000 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.idleTimedOut).toBe(true);
    expect(r.timedOut).toBe(false);
    expect(r.stdout).toBe("before\n");
    expect(r.exitCode).not.toBe(0);
  });

  it("cuts 50 MB of output to the cap, keeping head and tail and saying how much was left out", async () => {
    const cap = 64 * 1024;
    const r = await sandbox.exec(
      "printf 'HEAD-MARK\\n'; head -c 52428800 /dev/zero | tr '\\0' 'x'; printf '\\nTAIL-MARK\\n'; echo err-head >&2; head -c 1000000 /dev/zero | tr '\\0' 'y' >&2",
      { maxOutputBytes: cap, timeoutMs: 60_000 },
    );
    expect(r.exitCode).toBe(0);
    expect(r.truncated).toBe(true);
    expect(r.stdout.startsWith("HEAD-MARK\n")).toBe(true);
    expect(r.stdout.endsWith("\nTAIL-MARK\n")).toBe(true);
    const total = 10 + 52428800 + 11;
    expect(r.omittedBytes.stdout).toBe(total - cap);
    expect(r.stdout).toContain(`${total - cap} bytes of output omitted`);
    expect(r.stdoutBytes.length).toBeLessThan(cap + 100);
    expect(r.stderr.startsWith("err-head\n")).toBe(true);
    expect(r.omittedBytes.stderr).toBe(9 + 1000000 - cap);
  });

  it("says how much was left out on a timeout too", async () => {
    const r = await sandbox.exec("yes abcdefgh", { maxOutputBytes: 1000, timeoutMs: 1000 });
    expect(r.timedOut).toBe(true);
    expect(r.truncated).toBe(true);
    expect(r.omittedBytes.stdout).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/^abcdefgh\n/);
  });
});
