import type { Logger } from "@fixfleet/shared";

/** Fields the request log prints at the end of a request; routes add what they learn. */
export interface LogFields {
  deliveryId?: string;
  event?: string;
  repository?: string;
  installationId?: number;
  batch?: string;
  /** Where a report came from, for reports_total: "webhook" or "oidc". */
  source?: string;
  /** accepted, duplicate, ignored, rejected, rate_limited, unavailable. */
  outcome?: string;
  /** A short stable code (metrics label). */
  reason?: string;
  /** What a person needs to know (log only). */
  detail?: string;
}

/** Hono's typed context variables of the ingest app. */
export interface IngestEnv {
  Variables: {
    logger: Logger;
    logFields: LogFields;
    rawBody: Uint8Array;
  };
}
