import type { ControlJobData, SchemaProblem, StoredReport } from "@fixfleet/shared";

/** What a verified webhook delivery means for ingest. */
export type WebhookDecision =
  | { kind: "report"; entry: StoredReport }
  /** A PR command or an event that decides a fix's outcome, for the worker's control queue. */
  | { kind: "control"; entry: ControlJobData }
  | { kind: "ping"; zen?: string; hookId?: number }
  | { kind: "ignored"; reason: string }
  | { kind: "invalid"; problems: SchemaProblem[] };
