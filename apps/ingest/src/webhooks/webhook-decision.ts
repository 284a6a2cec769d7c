import type { SchemaProblem, StoredReport } from "@fixfleet/shared";

/** What a verified webhook delivery means for ingest. */
export type WebhookDecision =
  | { kind: "report"; entry: StoredReport }
  | { kind: "ping"; zen?: string; hookId?: number }
  | { kind: "ignored"; reason: string }
  | { kind: "invalid"; problems: SchemaProblem[] };
