import { PermanentError, TransientError } from "@fixfleet/shared";
import type Docker from "dockerode";
import { toSandboxError } from "../errors/to-sandbox-error.js";

export interface ProgressEvent {
  status?: string;
  stream?: string;
  error?: string;
  errorDetail?: { message?: string; code?: number };
}

/**
 * Reads a build or pull progress stream to its end. The engine reports a failed build or pull
 * as an entry of the stream (HTTP 200 all along), so every entry is checked, and the first
 * error becomes ours: registry and network trouble transient, the rest permanent.
 */
export async function followProgress(
  docker: Docker,
  stream: NodeJS.ReadableStream,
  what: string,
): Promise<ProgressEvent[]> {
  const events = await new Promise<ProgressEvent[]>((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null, output: ProgressEvent[]) =>
      err ? reject(toSandboxError(err, what)) : resolve(output),
    );
  });
  const failed = events.find((e) => e.error || e.errorDetail);
  if (failed) {
    const message = failed.errorDetail?.message ?? failed.error ?? "unknown error";
    const transient = /timeout|temporar|connection|EOF|too many requests|toomanyrequests|unavailable|i\/o/i.test(
      message,
    );
    const reason = `${what}: ${message}`;
    throw transient
      ? new TransientError(reason, { code: "docker_progress" })
      : new PermanentError(reason, { code: "docker_progress" });
  }
  return events;
}
