import { z } from "zod";

/** One command to re-run for verification, in the directory it ran in (repository-relative). */
export const verifyCommandSchema = z.union([
  z.string().min(1),
  z.object({ command: z.string().min(1), cwd: z.string().optional() }),
]);

export const failedJobSchema = z.object({
  name: z.string().min(1),
  /** The windows of the log around the errors (the worker's extraction), shown in the prompt. */
  logExcerpt: z.string(),
  /** The whole log, placed in the sandbox outside the repository; never sent in the prompt. */
  fullLog: z.string().optional(),
});

/** What the scope looks like to the prompt; @fixfleet/monorepo's `Scope` has this shape and more. */
export const scopeSummarySchema = z.looseObject({
  units: z
    .array(
      z.looseObject({
        name: z.string().optional(),
        dirs: z.array(z.string()).optional(),
        globs: z.array(z.string()).optional(),
        verify: z.array(z.looseObject({ command: z.string(), cwd: z.string().optional() })).optional(),
      }),
    )
    .optional(),
  writable: z.array(z.string()).optional(),
  protected: z.array(z.string()).optional(),
  rootFiles: z.unknown().optional(),
});

/**
 * A fix that worked before for the same failure signature in this repository (issue 11), offered
 * to the model as a hint. It comes from fixfleet's own records, but its summary was written from
 * model output and CI text, so it is treated like any other outside text (capped and redacted).
 */
export const fixHintSchema = z.object({
  /** What the earlier fix changed and why (its explanation or commit message). */
  summary: z.string(),
  /** When that fix was accepted (epoch milliseconds). */
  at: z.number().optional(),
  pr: z.number().int().optional(),
  branch: z.string().optional(),
  commitSha: z.string().optional(),
});

export const failureInputSchema = z.object({
  jobs: z.array(failedJobSchema).min(1),
  /** Every command that failed in CI; each is re-run after the loop to verify the fix. */
  commands: z.array(verifyCommandSchema).min(1),
  scope: scopeSummarySchema.optional(),
  /** Files the pull request changed (repository-relative). */
  changedFiles: z.array(z.string()).optional(),
  /** The repository's `.github/fixfleet.yml` as parsed (shown to the model). */
  repoConfig: z.unknown().optional(),
  /** The repository (`owner/name`), the commit and the PR, for the prompt's first lines. */
  repository: z.string().optional(),
  sha: z.string().optional(),
  pr: z.number().int().optional(),
  /** A fix that worked for the same failure signature before; shown as a hint that may not apply. */
  hint: fixHintSchema.optional(),
});

export type FixHint = z.infer<typeof fixHintSchema>;
export type FailedJob = z.infer<typeof failedJobSchema>;
export type VerifyCommandInput = z.infer<typeof verifyCommandSchema>;
export type FailureInput = z.infer<typeof failureInputSchema>;
export type ScopeSummary = z.infer<typeof scopeSummarySchema>;

export interface VerifyCommand {
  command: string;
  /** Repository-relative; `.` is the root. */
  cwd: string;
}

export function normaliseCommands(commands: readonly VerifyCommandInput[]): VerifyCommand[] {
  const seen = new Set<string>();
  const out: VerifyCommand[] = [];
  for (const c of commands) {
    const v = typeof c === "string" ? { command: c, cwd: "." } : { command: c.command, cwd: c.cwd ?? "." };
    const key = `${v.cwd}\0${v.command}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(v);
    }
  }
  return out;
}
