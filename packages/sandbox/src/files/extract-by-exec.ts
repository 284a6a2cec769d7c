import type { Duplex, Readable } from "node:stream";
import { PermanentError, TransientError } from "@fixfleet/shared";
import type Docker from "dockerode";
import { callDocker } from "../docker/call-docker.js";
import { DockerDemuxer } from "../exec/demux.js";
import { OutputBuffer } from "../exec/output-buffer.js";

export interface ExtractByExecInput {
  container: Docker.Container;
  /** The sandbox user: what tar writes is owned by it, as the archive's headers say. */
  user: string;
  /** Directory the archive's names are relative to. */
  dest: string;
  tar: NodeJS.ReadableStream;
  timeoutMs: number;
  callTimeoutMs: number;
}

export type ExtractResult = { ok: true } | { ok: false; exitCode: number; stderr: string };

/**
 * Extracts a tar stream with the image's own `tar`, fed through an exec's stdin. The unpacking
 * runs as the sandbox user inside the container's limits, where the archive endpoint has the
 * daemon unpack as root into a container that may already have run untrusted code; speed is on
 * par (bench/README.md). The caller falls back to the archive endpoint when this fails (no tar
 * in the image, an unexpected tar), so a tar that ran and failed is a result, not a throw.
 */
export async function extractByExec(input: ExtractByExecInput): Promise<ExtractResult> {
  const exec = await callDocker("create the copy exec", input.callTimeoutMs, (abortSignal) =>
    input.container.exec({
      // -p: modes exactly as archived (no umask); ownership is the exec user's (not root).
      Cmd: ["tar", "-x", "-p", "-f", "-", "-C", input.dest],
      User: input.user,
      WorkingDir: "/",
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
      abortSignal,
    } as Docker.ExecCreateOptions),
  );
  const stream = (await callDocker("start the copy exec", input.callTimeoutMs, (abortSignal) =>
    exec.start({ hijack: true, stdin: true, Detach: false, Tty: false, abortSignal } as Docker.ExecStartOptions),
  )) as Duplex;

  const stderr = new OutputBuffer(16 * 1024);
  const demux = new DockerDemuxer((_which, payload) => stderr.push(payload));
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (error?: unknown) => {
        if (settled) return;
        settled = true;
        if (error) reject(error);
        else resolve();
      };
      timer = setTimeout(() => {
        // Closing the connection closes tar's stdin: it stops at the cut and exits.
        stream.destroy();
        (input.tar as Readable).destroy();
        finish(
          new TransientError(`copying into the sandbox did not finish within ${input.timeoutMs} ms`, {
            code: "copy_timeout",
          }),
        );
      }, input.timeoutMs);
      stream.on("data", (chunk: Buffer) => demux.push(chunk));
      stream.on("end", () => finish());
      stream.on("close", () => finish());
      // A dropped connection: the exit code, asked of the engine below, says how it ended.
      stream.on("error", () => finish());
      input.tar.on("error", (error) => {
        stream.destroy();
        finish(
          new PermanentError(`could not read the tree to copy: ${(error as Error).message}`, {
            code: "copy_source_unreadable",
            cause: error,
          }),
        );
      });
      // pipe() ends the exec's stdin (a half-close) after the last chunk: tar sees its EOF.
      input.tar.pipe(stream);
    });
  } finally {
    clearTimeout(timer);
  }
  const exitCode = await exitCodeOf(exec, input.callTimeoutMs);
  if (exitCode === 0) return { ok: true };
  return { ok: false, exitCode, stderr: stderr.result().bytes.toString("utf8").trim() };
}

/** The engine's record can lag the stream's end by a moment. */
async function exitCodeOf(exec: Docker.Exec, callTimeoutMs: number): Promise<number> {
  for (let attempt = 0; attempt < 40; attempt++) {
    const info = await callDocker("inspect the copy exec", callTimeoutMs, (abortSignal) =>
      exec.inspect({ abortSignal }),
    );
    if (!info.Running && typeof info.ExitCode === "number") return info.ExitCode;
    await new Promise((r) => setTimeout(r, 25));
  }
  return -1;
}
