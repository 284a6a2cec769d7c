import { Gauge, type Registry } from "prom-client";
import type { FixRecords } from "./fix-records.js";

/**
 * Outcomes of published fixes per repository, read from Redis at scrape: every worker reports
 * the fleet's figures (aggregate with max(), not sum()), and they survive restarts.
 */
export function registerOutcomeMetrics(registry: Registry, records: FixRecords): void {
  // A scrape collects every metric at once (prom-client's Promise.all): the two gauges built
  // from the outcomes share one read of Redis.
  let reading: ReturnType<FixRecords["outcomes"]> | undefined;
  const outcomes = () => {
    reading ??= records.outcomes().finally(() => {
      reading = undefined;
    });
    return reading;
  };
  new Gauge({
    name: "fixfleet_fixes",
    help: "Published fixes per repository by outcome (published, accepted, rejected), fleet-wide",
    labelNames: ["repository", "outcome"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await outcomes()) {
        this.set({ repository: row.repository, outcome: "published" }, row.published);
        this.set({ repository: row.repository, outcome: "accepted" }, row.accepted);
        this.set({ repository: row.repository, outcome: "rejected" }, row.rejected);
      }
    },
  });
  new Gauge({
    name: "fixfleet_fix_acceptance_ratio",
    help: "Accepted / (accepted + rejected) fixes per repository, fleet-wide",
    labelNames: ["repository"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await outcomes()) {
        const settled = row.accepted + row.rejected;
        if (settled > 0) this.set({ repository: row.repository }, row.accepted / settled);
      }
    },
  });
  new Gauge({
    name: "fixfleet_fix_comment_reactions",
    help: "Reactions on fixfleet's pull request comments per repository, counted when the pull request closes",
    labelNames: ["repository", "content"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await records.reactions())
        this.set({ repository: row.repository, content: row.content }, row.count);
    },
  });
}
