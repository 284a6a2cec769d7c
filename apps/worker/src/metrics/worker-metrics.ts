import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { OUTCOME_KINDS } from "../pipeline/outcome.js";

export interface WorkerMetrics {
  registry: Registry;
  jobs: Counter<"outcome">;
  stageSeconds: Histogram<"stage">;
  modelTokens: Counter<"kind">;
  sandboxSeconds: Counter;
  spendUsd: Counter;
  queueStuck: Gauge;
}

/** The worker's own Prometheus registry (one per process; tests make their own). */
export function createWorkerMetrics(): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "fixfleet_worker_" });
  const jobs = new Counter({
    name: "fixfleet_fix_jobs_total",
    help: "Fix jobs finished, by outcome (fixed, not_fixable, stale, skipped, failed)",
    labelNames: ["outcome"],
    registers: [registry],
  });
  // Every outcome shows from the start, at 0, so dashboards and alerts see the series.
  for (const outcome of OUTCOME_KINDS) jobs.inc({ outcome }, 0);
  return {
    registry,
    jobs,
    stageSeconds: new Histogram({
      name: "fixfleet_fix_stage_duration_seconds",
      help: "Duration of each stage of a fix job",
      labelNames: ["stage"],
      buckets: [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1200],
      registers: [registry],
    }),
    modelTokens: new Counter({
      name: "fixfleet_model_tokens_total",
      help: "Model tokens used, by kind (input, output, cache_read, cache_creation)",
      labelNames: ["kind"],
      registers: [registry],
    }),
    sandboxSeconds: new Counter({
      name: "fixfleet_sandbox_seconds_total",
      help: "Seconds sandboxes existed for fix jobs",
      registers: [registry],
    }),
    spendUsd: new Counter({
      name: "fixfleet_model_spend_usd_total",
      help: "What model runs cost, in US dollars, from the price table",
      registers: [registry],
    }),
    queueStuck: new Gauge({
      name: "fixfleet_queue_stuck",
      help: "1 while fix jobs wait, none is active and workers are connected (a wedged queue)",
      registers: [registry],
    }),
  };
}
