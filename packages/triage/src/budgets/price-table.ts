import { z } from "zod";

/** US dollars per million tokens. */
export const modelPriceSchema = z.object({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  cacheWrite: z.number().nonnegative(),
  cacheRead: z.number().nonnegative(),
});
export type ModelPrice = z.infer<typeof modelPriceSchema>;

/** Model id prefix → price. The longest matching prefix wins; operators can pass their own table. */
export type PriceTable = Record<string, ModelPrice>;

/** Anthropic's list prices (cache writes at the 5-minute rate). */
export const DEFAULT_PRICE_TABLE: PriceTable = {
  "claude-opus-4-5": { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 },
  "claude-opus-4": { input: 15, output: 75, cacheWrite: 18.75, cacheRead: 1.5 },
  "claude-sonnet-4": { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
  "claude-haiku-4": { input: 1, output: 5, cacheWrite: 1.25, cacheRead: 0.1 },
  "claude-3-5-haiku": { input: 0.8, output: 4, cacheWrite: 1, cacheRead: 0.08 },
  claude: { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
};

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheCreationInputTokens?: number;
  cacheReadInputTokens?: number;
}

export function priceFor(model: string, table: PriceTable = DEFAULT_PRICE_TABLE): ModelPrice {
  const match = Object.keys(table)
    .filter((prefix) => model.startsWith(prefix))
    .sort((a, b) => b.length - a.length)[0];
  if (match === undefined) throw new Error(`no price for model ${model}: add it to the price table`);
  return table[match] as ModelPrice;
}

/** Cost in micro-dollars (integers keep Redis counters exact). */
export function costMicros(usage: TokenUsage, model: string, table?: PriceTable): number {
  const p = priceFor(model, table);
  const dollarsTimesMillion =
    usage.inputTokens * p.input +
    usage.outputTokens * p.output +
    (usage.cacheCreationInputTokens ?? 0) * p.cacheWrite +
    (usage.cacheReadInputTokens ?? 0) * p.cacheRead;
  // tokens × $/MTok = micro-dollars.
  return Math.ceil(dollarsTimesMillion);
}

export function totalTokens(usage: TokenUsage): number {
  return (
    usage.inputTokens + usage.outputTokens + (usage.cacheCreationInputTokens ?? 0) + (usage.cacheReadInputTokens ?? 0)
  );
}
