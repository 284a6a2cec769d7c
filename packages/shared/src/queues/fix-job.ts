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
});

export type FixJobData = z.infer<typeof fixJobDataSchema>;
