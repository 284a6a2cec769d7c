import { DEFAULT_PROTECTED, monorepoConfigShape } from "@fixfleet/monorepo";
import { z } from "zod";

export const REPO_CONFIG_PATH = ".github/fixfleet.yml";

const whole = (what: string, min: number, max: number) =>
  z
    .number({ message: `must be a number (${what})` })
    .int(`must be a whole number (${what})`)
    .min(min, `must be at least ${min} (${what})`)
    .max(max, `must be at most ${max} (${what})`);

/** What one fix may spend and change; a fix that would exceed one stops and says which. */
export const limitsSchema = z
  .object({
    files: whole("files a fix may change", 1, 500).default(10),
    lines: whole("lines a fix may add and remove", 1, 100_000).default(400),
    turns: whole("model turns", 1, 500).default(40),
    tokens: whole("model tokens, input and output", 1_000, 50_000_000).default(1_500_000),
    minutes: whole("wall-clock minutes", 1, 720).default(30),
  })
  .strict();

/** The container a fix runs in. The image must already exist on the worker's Docker engine. */
export const sandboxConfigSchema = z
  .object({
    image: z
      .string()
      .min(1, "must name a Docker image")
      .max(255)
      .regex(/^[a-z0-9][a-z0-9._\-/:@]*$/, "must be a Docker image reference like fixfleet-sandbox:latest")
      .optional(),
    cpus: z.number({ message: "must be a number of CPUs" }).positive("must be greater than 0").max(64).default(2),
    memory_mb: whole("memory in MiB", 256, 262_144).default(4096),
    pids: whole("processes", 64, 65_536).default(1024),
  })
  .strict();

/**
 * `.github/fixfleet.yml` (CONTRACT.md §6), read from the default branch. Unknown keys are
 * refused, so a typo is an error the repository's owner sees rather than a setting silently
 * ignored. The monorepo part (scopes, protected paths, root files, sparse checkout) is
 * @fixfleet/monorepo's shape, spread in.
 */
export const repoConfigSchema = z
  .object({
    enabled: z.boolean({ message: "must be true or false" }).default(true),
    /**
     * branch: the fix goes to a `fixfleet/...` branch and the PR comment links it.
     * pull_request: the same branch, proposed as a pull request into the failing PR's head.
     * push: the fix is committed onto the failing branch itself (never for forks).
     */
    mode: z
      .enum(["branch", "pull_request", "push"], { message: 'must be one of "branch", "pull_request", "push"' })
      .default("branch"),
    ...monorepoConfigShape,
    limits: limitsSchema.prefault({}),
    sandbox: sandboxConfigSchema.prefault({}),
  })
  .strict();

export type RepoConfig = z.output<typeof repoConfigSchema>;
export type RepoConfigInput = z.input<typeof repoConfigSchema>;

/** The config of a repository without `.github/fixfleet.yml`. */
export const DEFAULT_REPO_CONFIG: RepoConfig = repoConfigSchema.parse({});

/** Protected paths in force: the defaults are always kept, a config can only add. */
export function protectedPaths(config: RepoConfig): string[] {
  return [...new Set([...DEFAULT_PROTECTED, ...(config.protected ?? [])])];
}
