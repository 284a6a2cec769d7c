import { z } from "zod";
import { SHA_PATTERN } from "../report/failure-report.js";

export const repositoryRefSchema = z.object({
  id: z.number().int().positive().optional(),
  owner: z.string().min(1),
  name: z.string().min(1),
});

export type RepositoryRef = z.infer<typeof repositoryRefSchema>;

/**
 * The data of a fix job. The batch's reports live in Redis under the batch (so that reports
 * arriving while the job waits are not lost when the job's data is replaced); the job names it.
 */
export const fixJobDataSchema = z.object({
  v: z.literal(1),
  batchId: z.string().min(1),
  batchKey: z.string().min(1),
  repository: repositoryRefSchema,
  installationId: z.number().int().positive().optional(),
  sha: z.string().regex(SHA_PATTERN),
  pr: z.number().int().positive().optional(),
  ref: z.string().optional(),
  firstReportAt: z.number().int().nonnegative(),
  /**
   * Set when a person asked for this run with a PR command: `retry` runs even where the loop
   * guard stopped, `explain` analyses without changing anything.
   */
  trigger: z
    .object({ command: z.enum(["retry", "explain"]), by: z.string().min(1), commentId: z.number().int().optional() })
    .optional(),
});

export type FixJobData = z.infer<typeof fixJobDataSchema>;
