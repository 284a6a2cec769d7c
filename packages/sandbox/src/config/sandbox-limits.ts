import { z } from "zod";

const MiB = 1024 * 1024;

/**
 * Resource figures of one sandbox. The defaults suit a JavaScript test suite on a modest
 * worker; a repository's config or the operator may raise or lower any of them.
 */
export const sandboxLimitsSchema = z.object({
  /** Memory limit; swap is set equal, so the sandbox cannot swap. */
  memoryBytes: z
    .number()
    .int()
    .min(16 * MiB)
    .default(2048 * MiB),
  cpus: z.number().positive().max(256).default(2),
  pidsLimit: z.number().int().min(8).default(512),
  nofile: z.number().int().min(64).default(4096),
  /** RLIMIT_NPROC counts per user id across the host: keep it above pidsLimit × concurrent sandboxes. */
  nproc: z.number().int().min(64).default(8192),
  /** Largest file a command may write (RLIMIT_FSIZE). */
  fileSizeBytes: z
    .number()
    .int()
    .min(MiB)
    .default(4096 * MiB),
  /** tmpfs sizes (they count against the memory limit when used). */
  tmpBytes: z
    .number()
    .int()
    .min(MiB)
    .default(512 * MiB),
  homeBytes: z
    .number()
    .int()
    .min(MiB)
    .default(512 * MiB),
  /** Size cap of the workspace when it is kept in memory (`workspace: "memory"`). */
  workspaceBytes: z
    .number()
    .int()
    .min(16 * MiB)
    .default(4096 * MiB),
});

export type SandboxLimits = z.infer<typeof sandboxLimitsSchema>;
export type SandboxLimitsInput = z.input<typeof sandboxLimitsSchema>;

export function resolveLimits(input: SandboxLimitsInput | undefined): SandboxLimits {
  return sandboxLimitsSchema.parse(input ?? {});
}
