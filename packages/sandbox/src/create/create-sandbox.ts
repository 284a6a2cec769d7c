import { randomBytes } from "node:crypto";
import { PermanentError } from "@fixfleet/shared";
import type Docker from "dockerode";
import { resolveLimits, type SandboxLimitsInput } from "../config/sandbox-limits.js";
import { callDocker } from "../docker/call-docker.js";
import { isNotFound } from "../errors/to-sandbox-error.js";
import { sandboxLabels } from "../lifecycle/labels.js";
import { containerSpec } from "./container-spec.js";
import { DockerSandbox, destroyByName } from "./docker-sandbox.js";

export interface CreateSandboxOptions {
  image: string;
  jobId: string;
  workerId: string;
  /** Time to live: the container's own command sleeps this long, and the reaper removes it after. */
  ttlMs: number;
  limits?: SandboxLimitsInput;
  /**
   * Where the per-sandbox workspace volume keeps its files. "disk" (default): the engine's volume
   * directory, no size cap of its own. "memory": a tmpfs volume capped at limits.workspaceBytes;
   * copying in and removing cost a fraction of disk (no journal, no block frees), and a command
   * cannot fill the host's disk, but the files take RAM (charged to the sandbox's memory limit
   * when its commands write them).
   */
  workspace?: WorkspaceMedium;
  /** OCI runtime: "runc" (the engine's default when unset), "runsc" (gVisor), "sysbox-runc". */
  runtime?: string;
  /** Extra labels; ours (fixfleet.job, fixfleet.worker, fixfleet.expires) always win. */
  labels?: Record<string, string>;
  /** uid:gid the commands run as; never root. */
  user?: string;
  /** Where the per-sandbox volume is mounted (the image should have it owned by the user). */
  workdir?: string;
  home?: string;
  /** Bound of every Docker call this sandbox makes (default 30 s). */
  callTimeoutMs?: number;
  /** Injected clock, for expiries in tests. */
  now?: () => number;
}

export type Sandbox = DockerSandbox;

export type WorkspaceMedium = "disk" | "memory";

export const DEFAULT_SANDBOX_USER = "10001:10001";

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9_.-]+/g, "-")
      .replace(/^[-.]+|[-.]+$/g, "")
      .slice(0, 40) || "job"
  );
}

/**
 * The local driver's options for a tmpfs volume. The engine copies no owner into a tmpfs volume
 * (it would be root's, mode 1777): the sandbox user owns it, mode 0755, as a disk volume made
 * from the image's /workspace.
 */
function memoryVolumeOptions(bytes: number, user: string): Record<string, string> {
  const [uid, gid = uid] = user.split(":");
  return { type: "tmpfs", device: "tmpfs", o: `size=${bytes},uid=${uid},gid=${gid},mode=0755,nosuid,nodev` };
}

/**
 * Creates and starts a hardened container for one job, with a fresh volume for its workspace.
 * If any step fails, what was made is removed by name before the error is thrown.
 */
export async function createSandbox(docker: Docker, options: CreateSandboxOptions): Promise<DockerSandbox> {
  const user = options.user ?? DEFAULT_SANDBOX_USER;
  const [uid] = user.split(":");
  if (uid === "0" || uid === "root" || !/^\d+(:\d+)?$/.test(user)) {
    throw new PermanentError(`sandbox user must be a numeric non-root uid[:gid], got ${JSON.stringify(user)}`, {
      code: "bad_user",
    });
  }
  if (!(options.ttlMs > 0)) throw new PermanentError("sandbox ttlMs must be positive", { code: "bad_ttl" });
  const callTimeoutMs = options.callTimeoutMs ?? 30_000;
  const workdir = options.workdir ?? "/workspace";
  const home = options.home ?? "/home/sandbox";
  const now = options.now ?? Date.now;
  const limits = resolveLimits(options.limits);
  const expiresAt = now() + options.ttlMs;
  const name = `fixfleet-${slug(options.jobId)}-${randomBytes(4).toString("hex")}`;
  const volumeName = `${name}-ws`;
  const labels = sandboxLabels({ jobId: options.jobId, workerId: options.workerId, expiresAt, extra: options.labels });

  try {
    await callDocker("create the sandbox volume", callTimeoutMs, (abortSignal) =>
      docker.createVolume({
        Name: volumeName,
        Labels: labels,
        ...(options.workspace === "memory" ? { DriverOpts: memoryVolumeOptions(limits.workspaceBytes, user) } : {}),
        abortSignal,
      } as Docker.VolumeCreateOptions),
    );
    const spec = containerSpec({
      name,
      volumeName,
      image: options.image,
      ttlMs: options.ttlMs,
      limits,
      labels,
      user,
      workdir,
      home,
      runtime: options.runtime,
    });
    const container = await callDocker(
      `create the sandbox container from ${options.image}`,
      callTimeoutMs,
      (abortSignal) => docker.createContainer({ ...spec, abortSignal } as Docker.ContainerCreateOptions),
    ).catch((error) => {
      if (isNotFound(error)) {
        throw new PermanentError(
          `sandbox image ${options.image} is not on this Docker engine (fixfleet never pulls it; build or load it first)`,
          { code: "image_missing", cause: error },
        );
      }
      throw error;
    });
    await callDocker("start the sandbox container", callTimeoutMs, (abortSignal) => container.start({ abortSignal }));
    return new DockerSandbox({
      docker,
      id: container.id,
      name,
      volumeName,
      jobId: options.jobId,
      workerId: options.workerId,
      image: options.image,
      user,
      workdir,
      expiresAt,
      callTimeoutMs,
    });
  } catch (error) {
    await destroyByName(docker, name, volumeName, callTimeoutMs).catch(() => {
      // The reaper removes what is left: everything we made carries our labels.
    });
    throw error;
  }
}
