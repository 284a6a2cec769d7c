import type Docker from "dockerode";
import type { SandboxLimits } from "../config/sandbox-limits.js";

export interface ContainerSpecInput {
  name: string;
  volumeName: string;
  image: string;
  ttlMs: number;
  limits: SandboxLimits;
  labels: Record<string, string>;
  user: string;
  workdir: string;
  home: string;
  runtime?: string;
}

/** PATH and locale only: nothing of the worker's environment enters the sandbox. */
export const SANDBOX_ENV = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8"];

function uidGid(user: string): { uid: string; gid: string } {
  const [uid = user, gid = uid] = user.split(":");
  return { uid, gid };
}

/**
 * The create options of one sandbox container, hardened by default. Root is read-only; the
 * workspace is a per-sandbox volume (the engine accepts archive uploads into volumes even with
 * a read-only root, not into tmpfs), /tmp and $HOME are size-capped tmpfs.
 */
export function containerSpec(input: ContainerSpecInput): Docker.ContainerCreateOptions {
  const { limits } = input;
  const { uid, gid } = uidGid(input.user);
  const ttlSeconds = Math.max(1, Math.ceil(input.ttlMs / 1000));
  return {
    name: input.name,
    Image: input.image,
    // A backstop: if every cleanup fails, the container still ends when its time is up.
    Cmd: ["sleep", String(ttlSeconds)],
    Entrypoint: [],
    User: input.user,
    WorkingDir: input.workdir,
    Env: [...SANDBOX_ENV, `HOME=${input.home}`],
    Labels: input.labels,
    NetworkDisabled: true,
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    Tty: false,
    OpenStdin: false,
    StopSignal: "SIGKILL",
    HostConfig: {
      NetworkMode: "none",
      CapDrop: ["ALL"],
      // The engine's default seccomp profile applies as long as nothing overrides it here.
      SecurityOpt: ["no-new-privileges:true"],
      Init: true,
      ReadonlyRootfs: true,
      Privileged: false,
      Mounts: [{ Type: "volume", Source: input.volumeName, Target: input.workdir, ReadOnly: false }],
      Tmpfs: {
        "/tmp": `rw,nosuid,nodev,size=${limits.tmpBytes},mode=1777`,
        [input.home]: `rw,nosuid,nodev,size=${limits.homeBytes},mode=0700,uid=${uid},gid=${gid}`,
      },
      Binds: [],
      PidsLimit: limits.pidsLimit,
      Memory: limits.memoryBytes,
      MemorySwap: limits.memoryBytes,
      NanoCpus: Math.round(limits.cpus * 1e9),
      Ulimits: [
        { Name: "nofile", Soft: limits.nofile, Hard: limits.nofile },
        { Name: "nproc", Soft: limits.nproc, Hard: limits.nproc },
        { Name: "fsize", Soft: limits.fileSizeBytes, Hard: limits.fileSizeBytes },
        { Name: "core", Soft: 0, Hard: 0 },
      ],
      RestartPolicy: { Name: "no" },
      AutoRemove: false,
      LogConfig: { Type: "none", Config: {} },
      IpcMode: "private",
      ...(input.runtime ? { Runtime: input.runtime } : {}),
    },
  };
}
