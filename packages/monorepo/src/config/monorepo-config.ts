import picomatch from "picomatch";
import { z } from "zod";

export const DEFAULT_PROTECTED: readonly string[] = [".github/workflows/**"];
/** Repositories above this size are cloned sparsely when `sparse_checkout.enabled` is `auto`. */
export const DEFAULT_SPARSE_THRESHOLD_KB = 500 * 1024;
export const DEFAULT_SPARSE_THRESHOLD_FILES = 50_000;

/** A repository-relative glob: no absolute paths, no `..`, and one picomatch can compile. */
const repoGlob = z
  .string()
  .min(1, "must not be empty")
  .max(512, "must be at most 512 characters")
  .refine((g) => !g.startsWith("/") && !g.split("/").includes(".."), "must be a path inside the repository")
  .refine((g) => {
    try {
      picomatch(g);
      return true;
    } catch {
      return false;
    }
  }, "must be a valid glob");

const command = z.string().min(1, "must not be empty").max(4_096);

export const scopeEntrySchema = z
  .object({
    name: z.string().min(1).max(100).optional(),
    paths: z.array(repoGlob).min(1, "must list at least one path glob").max(100),
    verify: z.union([command, z.array(command).min(1).max(20)]).optional(),
    working_directory: z
      .string()
      .refine((d) => !d.startsWith("/") && !d.split("/").includes(".."), "must be a path inside the repository")
      .optional(),
  })
  .strict();

export type ScopeEntry = z.infer<typeof scopeEntrySchema>;

export const sparseCheckoutConfigSchema = z
  .object({
    enabled: z.enum(["auto", "always", "never"]).default("auto"),
    threshold_mb: z
      .number()
      .positive()
      .default(DEFAULT_SPARSE_THRESHOLD_KB / 1024),
    threshold_files: z.number().int().positive().default(DEFAULT_SPARSE_THRESHOLD_FILES),
  })
  .strict();

/**
 * The part of `.github/fixfleet.yml` this package reads (CONTRACT.md §6). A shape, so the whole
 * config schema can spread it: `z.object({ ...monorepoConfigShape, enabled, mode, ... })`.
 */
export const monorepoConfigShape = {
  scopes: z.array(scopeEntrySchema).max(200).optional(),
  /** Globs the agent may never write. The defaults are always kept: a config can add, not remove. */
  protected: z.array(repoGlob).max(200).optional(),
  /** Root-level files (lockfiles, shared configs) are read-only unless true or matched by these globs. */
  allow_root_files: z.union([z.boolean(), z.array(repoGlob).max(100)]).optional(),
  sparse_checkout: sparseCheckoutConfigSchema.optional(),
};

export const monorepoConfigSchema = z.object(monorepoConfigShape).strict();

export type MonorepoConfig = z.input<typeof monorepoConfigSchema>;
export type SparseCheckoutConfig = z.input<typeof sparseCheckoutConfigSchema>;
