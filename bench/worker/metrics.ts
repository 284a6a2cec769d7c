/** Sum and count of each stage of `fixfleet_fix_stage_duration_seconds`, added over workers. */
export type StageTotals = Record<string, { sum: number; count: number }>;

export async function scrapeStageTotals(urls: readonly string[]): Promise<StageTotals> {
  const totals: StageTotals = {};
  for (const url of urls) {
    const body = await (await fetch(url, { signal: AbortSignal.timeout(5_000) })).text();
    for (const line of body.split("\n")) {
      const m = /^fixfleet_fix_stage_duration_seconds_(sum|count)\{stage="(\w+)"\} (\S+)$/.exec(line);
      if (!m) continue;
      const [, kind, stage, value] = m as unknown as [string, "sum" | "count", string, string];
      totals[stage] ??= { sum: 0, count: 0 };
      (totals[stage] as { sum: number; count: number })[kind] += Number(value);
    }
  }
  return totals;
}
