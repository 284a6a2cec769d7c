import type { Queue } from "bullmq";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { TalliedCounter } from "./tallied-counter.js";

export const QUEUE_STATES = [
  "waiting",
  "delayed",
  "active",
  "completed",
  "failed",
  "prioritized",
  "waiting-children",
] as const;

/**
 * The ingest process's Prometheus metrics, on a registry of its own (two apps in one test
 * process must not share counters). Queue depths are read from Redis at scrape time.
 */
export function createIngestMetrics(options: { queues: Queue[]; defaultMetrics?: boolean }) {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: "fixfleet_ingest_" });

  // Counted on every request: tallied, and added to the counters when they are read.
  const requests = new TalliedCounter({
    name: "fixfleet_ingest_http_requests_total",
    help: "HTTP requests answered, by route and status",
    labelNames: ["method", "route", "status"] as const,
    registry,
  });
  const duration = new Histogram({
    name: "fixfleet_ingest_http_request_duration_seconds",
    help: "Time to answer an HTTP request",
    labelNames: ["method", "route"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const reports = new TalliedCounter({
    name: "fixfleet_ingest_reports_total",
    help: "Failure reports by source and outcome (accepted, duplicate, rejected, ignored) and reason",
    labelNames: ["source", "outcome", "reason"] as const,
    registry,
  });
  const batchSize = new Histogram({
    name: "fixfleet_ingest_batch_size",
    help: "Reports in a batch right after a report joined it (the batch's size so far)",
    buckets: [1, 2, 3, 5, 8, 13, 21, 50, 100],
    registers: [registry],
  });
  const batchesOpened = new Counter({
    name: "fixfleet_ingest_batches_opened_total",
    help: "Batches (future fix jobs) opened",
    registers: [registry],
  });
  new Gauge({
    name: "fixfleet_ingest_queue_jobs",
    help: "Jobs in each BullMQ queue by state, read at scrape time",
    labelNames: ["queue", "state"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const queue of options.queues) {
        try {
          const counts = await queue.getJobCounts(...QUEUE_STATES);
          for (const state of QUEUE_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
        } catch {
          // Redis down: no depths this scrape; fixfleet_ingest_redis_up says why.
        }
      }
    },
  });
  const redisUp = new Gauge({
    name: "fixfleet_ingest_redis_up",
    help: "1 when the last readiness check or scrape reached Redis",
    registers: [registry],
  });

  return { registry, requests, duration, reports, batchSize, batchesOpened, redisUp };
}

export type IngestMetrics = ReturnType<typeof createIngestMetrics>;
