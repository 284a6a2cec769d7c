export { createIngestApp, type IngestApp } from "./app/create-ingest-app.js";
export { DEFAULT_ALLOWED_EVENT_NAMES, type IngestAppDeps } from "./app/ingest-app-deps.js";
export { createFirstStep, type FirstStep } from "./batching/accept-first-step.js";
export { type AcceptOutcome, acceptReport } from "./batching/accept-report.js";
export { fixJobDelay, scheduleSlackMs } from "./batching/fix-job-delay.js";
export { type BufferedLogDestinationOptions, bufferedLogDestination } from "./logging/buffered-log-destination.js";
export { MAX_BODY_BYTES } from "./middleware/raw-body/index.js";
export { type IngestServer, startIngestServer } from "./server/start-ingest-server.js";
