import { z } from "zod";
import { repositoryRefSchema } from "../queues/fix-job.js";
import { failureReportSchema } from "../report/failure-report.js";

/** Where a report came in. */
export const reportSourceSchema = z.enum(["repository_dispatch", "workflow_run", "oidc"]);
export type ReportSource = z.infer<typeof reportSourceSchema>;

/**
 * One report as ingest stored it in its batch: the failure report (CONTRACT.md §4) and what
 * ingest knew around it. `workflowRun` is set in zero-config mode, where the report was built
 * from a `workflow_run` webhook; `pullRequests` is empty for pull requests from forks, so the
 * worker finds the PR by head sha.
 */
export const storedReportSchema = z.object({
  v: z.literal(1),
  source: reportSourceSchema,
  receivedAt: z.number().int().nonnegative(),
  deliveryId: z.string().optional(),
  repository: repositoryRefSchema,
  installationId: z.number().int().positive().optional(),
  report: failureReportSchema,
  workflowRun: z
    .object({
      name: z.string().optional(),
      headBranch: z.string().optional(),
      event: z.string().optional(),
      pullRequests: z.array(z.number().int().positive()),
      htmlUrl: z.string().optional(),
    })
    .optional(),
});

export type StoredReport = z.infer<typeof storedReportSchema>;

export const batchStateSchema = z.enum(["open", "started", "closed"]);
export type BatchState = z.infer<typeof batchStateSchema>;

const int = z.coerce.number().int().nonnegative();

/** The batch's hash, as stored (Redis hashes hold strings). */
export const batchMetaSchema = z.object({
  id: z.string(),
  key: z.string(),
  state: batchStateSchema,
  repository: z.string(),
  sha: z.string(),
  createdAt: int,
  lastReportAt: int.optional(),
  reportCount: int.default(0),
  startedAt: int.optional(),
  closedAt: int.optional(),
  outcome: z.string().optional(),
});

export type BatchMeta = z.infer<typeof batchMetaSchema>;
