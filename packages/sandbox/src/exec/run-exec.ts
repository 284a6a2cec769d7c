import { randomBytes } from "node:crypto";
import type { Duplex, Readable } from "node:stream";
import { PermanentError } from "@fixfleet/shared";
import type Docker from "dockerode";
import { callDocker } from "../docker/call-docker.js";
import { DockerDemuxer } from "./demux.js";
import { EXEC_WRAPPER, type ExecTrailer, splitTrailer, TRAILER_HOLDBACK } from "./exec-script.js";
import { OutputBuffer } from "./output-buffer.js";

export interface ExecOptions {
  /** Working directory (default: the sandbox's workdir). */
  cwd?: string;
  /** Added to the sandbox's minimal environment; nothing else of the worker's is passed. */
  env?: Record<string, string>;
  /** The command and everything it started are killed after this long (default 10 minutes). */
  timeoutMs?: number;
  /** Stop the command when it prints nothing for this long (default: off). */
  idleTimeoutMs?: number;
  /** Per stream: head and tail are kept, the middle is counted (default 1 MiB). */
  maxOutputBytes?: number;
  /** Given to the command on stdin; without it stdin is /dev/null. */
  stdin?: string | Buffer;
  /** Between SIGTERM and SIGKILL on timeout (default 1000 ms). */
  killGraceMs?: number;
}

export interface ExecResult {
  /** The command's exit code (128 + signal when killed, 124 when `timeout` stopped it). */
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Exact bytes, for callers that need them (binary output, non-UTF-8 text). */
  stdoutBytes: Buffer;
  stderrBytes: Buffer;
  truncated: boolean;
  omittedBytes: { stdout: number; stderr: number };
  timedOut: boolean;
  idleTimedOut: boolean;
  oomKilled: boolean;
  pidsLimitHit: boolean;
  durationMs: number;
}

export interface ExecContext {
  container: Docker.Container;
  user: string;
  workdir: string;
  callTimeoutMs: number;
  /** Last resort when nothing inside the container could stop the command. */
  restartContainer: () => Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;
const DEFAULT_MAX_OUTPUT = 1024 * 1024;

function seconds(ms: number): string {
  return (Math.max(ms, 1) / 1000).toFixed(3);
}

function envList(env: Record<string, string> | undefined): string[] {
  return Object.entries(env ?? {}).map(([k, v]) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k))
      throw new PermanentError(`exec: invalid environment variable name ${JSON.stringify(k)}`);
    return `${k}=${v}`;
  });
}

/** A short exec (no output kept) that signals the command's process group by its pid file. */
async function signalGroup(ctx: ExecContext, pidFile: string, signal: "TERM" | "KILL"): Promise<void> {
  const exec = await callDocker("signal a timed-out command", ctx.callTimeoutMs, (abortSignal) =>
    ctx.container.exec({
      Cmd: ["/bin/sh", "-c", `read -r pg < "$1" && kill -${signal} -"$pg"`, "fixfleet-kill", pidFile],
      User: ctx.user,
      AttachStdout: true,
      AttachStderr: true,
      abortSignal,
    } as Docker.ExecCreateOptions),
  );
  const stream = (await callDocker("signal a timed-out command", ctx.callTimeoutMs, (abortSignal) =>
    exec.start({ abortSignal }),
  )) as Readable;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      stream.destroy();
      resolve();
    }, ctx.callTimeoutMs);
    stream.on("data", () => {});
    stream.on("close", () => {
      clearTimeout(timer);
      resolve();
    });
    stream.on("end", () => {
      clearTimeout(timer);
      resolve();
    });
    stream.on("error", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * One command, one exec. See EXEC_WRAPPER for what runs inside; here the host keeps the output
 * bounded, watches the deadline and the idle time, and escalates when the container's own
 * `timeout` could not end the command: a kill exec for the group, then a container restart.
 */
export async function runExec(
  ctx: ExecContext,
  command: string | readonly string[],
  options: ExecOptions = {},
): Promise<ExecResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const graceMs = options.killGraceMs ?? 1000;
  const maxOutput = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  const argv = typeof command === "string" ? ["/bin/sh", "-c", command] : [...command];
  if (argv.length === 0) throw new PermanentError("exec: empty command");
  const id = randomBytes(8).toString("hex");
  const marker = `__fixfleet_exec_${id}__`;
  const pidFile = `/tmp/.fixfleet-exec-${id}.pid`;
  const stdin = options.stdin === undefined ? undefined : Buffer.from(options.stdin);

  const exec = await callDocker("create exec", ctx.callTimeoutMs, (abortSignal) =>
    ctx.container.exec({
      Cmd: [
        "/bin/sh",
        "-c",
        EXEC_WRAPPER,
        "fixfleet-exec",
        marker,
        seconds(timeoutMs),
        seconds(graceMs),
        pidFile,
        ...argv,
      ],
      User: ctx.user,
      WorkingDir: options.cwd ?? ctx.workdir,
      Env: envList(options.env),
      AttachStdin: stdin !== undefined,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
      abortSignal,
    } as Docker.ExecCreateOptions),
  );

  const started = Date.now();
  const stream = (await callDocker("start exec", ctx.callTimeoutMs, (abortSignal) =>
    stdin === undefined
      ? exec.start({ Detach: false, Tty: false, abortSignal } as Docker.ExecStartOptions)
      : exec.start({ hijack: true, stdin: true, Detach: false, Tty: false, abortSignal } as Docker.ExecStartOptions),
  )) as Duplex;

  const out = new OutputBuffer(maxOutput);
  const err = new OutputBuffer(maxOutput);
  let held: Buffer = Buffer.alloc(0);
  const demux = new DockerDemuxer((which, payload) => {
    if (which === "stdout") {
      out.push(payload);
      return;
    }
    // The wrapper's report ends stderr: hold the last bytes back until the stream ends.
    held = held.length ? Buffer.concat([held, payload]) : payload;
    if (held.length > TRAILER_HOLDBACK) {
      err.push(held.subarray(0, held.length - TRAILER_HOLDBACK));
      held = Buffer.from(held.subarray(held.length - TRAILER_HOLDBACK));
    }
  });

  let idleTimedOut = false;
  let forced = false;
  const timers: NodeJS.Timeout[] = [];
  let idleTimer: NodeJS.Timeout | undefined;

  const drained = new Promise<void>((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      resolve();
    };
    stream.on("data", (chunk: Buffer) => {
      demux.push(chunk);
      if (options.idleTimeoutMs !== undefined) armIdle();
    });
    stream.on("end", finish);
    stream.on("close", finish);
    // A dropped connection ends what we can read; the exit code is then asked of the engine.
    stream.on("error", finish);

    const armIdle = () => {
      if (idleTimer) clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        if (done) return;
        idleTimedOut = true;
        void (async () => {
          await signalGroup(ctx, pidFile, "TERM").catch(() => {});
          timers.push(
            setTimeout(() => {
              if (!done) void signalGroup(ctx, pidFile, "KILL").catch(() => {});
            }, graceMs),
          );
        })();
      }, options.idleTimeoutMs);
    };
    if (options.idleTimeoutMs !== undefined) armIdle();

    // The container's own `timeout -k` should have ended everything by now; if not, escalate.
    timers.push(
      setTimeout(
        () => {
          if (done) return;
          forced = true;
          void signalGroup(ctx, pidFile, "KILL").catch(() => {});
          timers.push(
            setTimeout(() => {
              if (done) return;
              void ctx
                .restartContainer()
                .catch(() => {})
                .finally(() => {
                  stream.destroy();
                  finish();
                });
            }, 2000),
          );
        },
        timeoutMs + graceMs + 1000,
      ),
    );
  });

  if (stdin !== undefined) {
    stream.write(stdin);
    stream.end(); // half-close: the engine closes the command's stdin
  }
  await drained;
  for (const t of timers) clearTimeout(t);
  if (idleTimer) clearTimeout(idleTimer);
  const durationMs = Date.now() - started;

  const { before, trailer } = splitTrailer(held, marker);
  err.push(before);
  const exitCode = await readExitCode(ctx, exec, trailer);

  const o = out.result();
  const e = err.result();
  const killedByTimeout = exitCode === 124 || exitCode === 137 || exitCode === 143 || !trailer;
  return {
    exitCode,
    stdout: o.bytes.toString("utf8"),
    stderr: e.bytes.toString("utf8"),
    stdoutBytes: o.bytes,
    stderrBytes: e.bytes,
    truncated: o.truncated || e.truncated,
    omittedBytes: { stdout: o.omittedBytes, stderr: e.omittedBytes },
    timedOut: forced || (!idleTimedOut && durationMs >= timeoutMs && killedByTimeout),
    idleTimedOut,
    oomKilled: (trailer?.oomKills ?? 0) > 0,
    pidsLimitHit: (trailer?.pidsRefusals ?? 0) > 0,
    durationMs,
  };
}

/** The exit code, once the stream is drained (the engine's record can lag the stream's end). */
async function readExitCode(ctx: ExecContext, exec: Docker.Exec, trailer: ExecTrailer | undefined): Promise<number> {
  // The wrapper printed the code after the command ended and its group was killed: nothing
  // later can change it. Only without that report (wrapper killed) is the engine asked.
  if (trailer) return trailer.exitCode;
  for (let attempt = 0; attempt < 20; attempt++) {
    const info = await callDocker("inspect exec", ctx.callTimeoutMs, (abortSignal) => exec.inspect({ abortSignal }));
    if (!info.Running && typeof info.ExitCode === "number") return info.ExitCode;
    await new Promise((r) => setTimeout(r, 25));
  }
  return 137; // still running after the container restart: it was killed
}
