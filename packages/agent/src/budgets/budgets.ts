import { z } from "zod";

/**
 * Limits of one agent run. Defaults are sized for a current Claude Sonnet-class model on a
 * typical CI failure: most fixes take 10–25 turns; every turn re-reads the (mostly cached)
 * conversation, so `inputTokens` counts every input token processed, cache reads included.
 */
export const budgetsSchema = z.object({
  /** Model turns (requests that produced an answer), all rounds together. */
  turns: z.int().positive(),
  /** Input tokens processed, summed over turns: uncached + cache writes + cache reads. */
  inputTokens: z.int().positive(),
  /** Output tokens generated, summed over turns. */
  outputTokens: z.int().positive(),
  /** Wall time of the whole run, verification included. */
  wallMs: z.int().positive(),
  /** Time one `bash` command (or one verify command) may take. */
  commandMs: z.int().positive(),
});

export type Budgets = z.infer<typeof budgetsSchema>;

export const DEFAULT_BUDGETS: Readonly<Budgets> = Object.freeze({
  turns: 40,
  inputTokens: 3_000_000,
  outputTokens: 64_000,
  wallMs: 20 * 60_000,
  commandMs: 10 * 60_000,
});

/** Config limits override the defaults one by one; anything unset keeps its default. */
export function resolveBudgets(partial: Partial<Budgets> | undefined): Budgets {
  const merged = { ...DEFAULT_BUDGETS };
  for (const [key, value] of Object.entries(partial ?? {})) {
    if (value !== undefined) (merged as Record<string, number>)[key] = value;
  }
  return budgetsSchema.parse(merged);
}
