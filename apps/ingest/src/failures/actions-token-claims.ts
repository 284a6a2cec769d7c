import { z } from "zod";

const idString = z.union([z.string(), z.number()]).transform((v) => String(v));

/**
 * The claims of a GitHub Actions OIDC token that ingest relies on. GitHub sends ids as
 * strings. `sub` is deliberately absent: its format varies (newer repositories use immutable
 * ids in it), so it is never matched.
 */
export const actionsTokenClaimsSchema = z.object({
  repository: z.string().min(3),
  repository_id: idString.optional(),
  repository_owner: z.string().optional(),
  repository_owner_id: idString.optional(),
  event_name: z.string().optional(),
  run_id: idString.optional(),
  run_attempt: idString.optional(),
  workflow: z.string().optional(),
  job_workflow_ref: z.string().optional(),
  actor: z.string().optional(),
  ref: z.string().optional(),
  sha: z.string().optional(),
});

export type ActionsTokenClaims = z.infer<typeof actionsTokenClaimsSchema>;
