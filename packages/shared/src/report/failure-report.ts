import { z } from "zod";

export const SHA_PATTERN = /^[0-9a-f]{40}$/;

const sha = z
  .string({ message: "must be a string of 40 hexadecimal characters" })
  .transform((s) => s.toLowerCase())
  .pipe(z.string().regex(SHA_PATTERN, "must be a commit sha of 40 hexadecimal characters"));

const positiveInt = (what: string) =>
  z
    .number({ message: `must be a number (${what})` })
    .int(`must be a whole number (${what})`)
    .positive(`must be greater than 0 (${what})`);

/** A path inside the repository, as the report's `paths` narrows the monorepo scope. */
const repoPath = z
  .string()
  .min(1, "must not be empty")
  .max(512, "must be at most 512 characters")
  .refine((p) => !p.startsWith("/") && !p.split("/").includes(".."), "must be a relative path inside the repository");

/**
 * The failure report, version 1 (CONTRACT.md §4): a `repository_dispatch` `client_payload`
 * (at most 10 top-level properties there) or the body of `POST /v1/failures`.
 * Unknown fields are refused so that a typo is an error the sender sees, not a silent no-op.
 */
export const failureReportSchema = z
  .object({
    v: z.literal(1, { message: "must be 1 (the report version)" }),
    run_id: positiveInt("the workflow run id"),
    run_attempt: positiveInt("the run attempt").optional(),
    sha,
    ref: z.string().min(1).max(255).optional(),
    pr: positiveInt("the pull request number").optional(),
    job: z.string().min(1).max(255).optional(),
    command: z.string().min(1).max(4_096).optional(),
    paths: z.array(repoPath).max(100, "must list at most 100 paths").optional(),
  })
  .strict();

export type FailureReport = z.infer<typeof failureReportSchema>;

/** `owner/name`, as GitHub allows them. */
export const repositoryFullName = z
  .string({ message: "must be a string like owner/name" })
  .regex(/^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/, "must be a repository like owner/name");

/** `POST /v1/failures` carries the repository, which the OIDC token must confirm. */
export const failureReportBodySchema = failureReportSchema.extend({ repository: repositoryFullName }).strict();

export type FailureReportBody = z.infer<typeof failureReportBodySchema>;

export interface SchemaProblem {
  path: string;
  message: string;
}

/**
 * Every problem of a rejected report, one per field, for a 422 a sender can act on. The input is
 * needed to tell a missing field from a wrong one.
 */
export function describeSchemaErrors(error: z.ZodError, input: unknown): SchemaProblem[] {
  return error.issues.map((issue) => {
    if (issue.code === "unrecognized_keys") {
      return { path: issue.keys.join(", "), message: "is not a field of the version 1 report" };
    }
    const path = issue.path.length > 0 ? issue.path.join(".") : "(body)";
    // Absent is "required" whatever the check that failed (a type, a literal like `v`, an enum).
    const missing = issue.path.length > 0 && valueAt(input, issue.path) === undefined;
    return { path, message: missing ? "is required" : issue.message };
  });
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
