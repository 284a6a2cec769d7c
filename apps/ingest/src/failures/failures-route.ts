import { describeSchemaErrors, failureReportBodySchema, type StoredReport } from "@fixfleet/shared";
import { Hono } from "hono";
import type { StoredOutcome } from "../batching/accept-report.js";
import { httpError } from "../errors/http-error.js";
import { type ActionsTokenEnv, actionsToken } from "../middleware/actions-token/index.js";
import { jsonContentType } from "../middleware/json-content-type/index.js";
import { parseJson, rawBody } from "../middleware/raw-body/index.js";
import type { ActionsTokenVerifier } from "./actions-token-verifier.js";

export interface FailuresRouteDeps {
  verify: ActionsTokenVerifier;
  allowedEventNames: readonly string[];
  now: () => number;
  /** The repository id GitHub's webhooks gave for a name, when one was seen. */
  knownRepositoryId: (fullName: string) => Promise<string | undefined>;
  /** Refuses (403) a repository that is not allowed, rate-limits (429) its account, or stores the report. */
  accept: (entry: StoredReport, account: string) => Promise<StoredOutcome>;
}

/**
 * POST /v1/failures: a CI step reports a failure with its GitHub Actions OIDC token. The token
 * says which repository's workflow is calling; the body must be about that repository.
 */
export function failuresRoute(deps: FailuresRouteDeps): Hono<ActionsTokenEnv> {
  const app = new Hono<ActionsTokenEnv>();
  app.post("/", actionsToken(deps.verify), jsonContentType(), rawBody(), async (c) => {
    const fields = c.get("logFields");
    fields.source = "oidc";
    const input = parseJson(c.get("rawBody"));
    const body = failureReportBodySchema.safeParse(input);
    if (!body.success) {
      throw httpError(422, {
        error: "invalid_report",
        message: "the body is not a valid failure report",
        problems: describeSchemaErrors(body.error, input),
      });
    }
    const claims = c.get("actionsClaims");
    const { repository, ...report } = body.data;
    if (claims.repository.toLowerCase() !== repository.toLowerCase()) {
      throw httpError(403, {
        error: "forbidden",
        message: `the token was issued to a workflow of ${claims.repository}, not of ${repository}`,
      });
    }
    if (!claims.event_name || !deps.allowedEventNames.includes(claims.event_name)) {
      throw httpError(403, {
        error: "forbidden",
        message: `tokens of ${JSON.stringify(claims.event_name ?? null)} workflows may not report failures (allowed: ${deps.allowedEventNames.join(", ")})`,
      });
    }
    const knownId = await deps.knownRepositoryId(repository);
    if (knownId !== undefined && claims.repository_id !== undefined && knownId !== claims.repository_id) {
      throw httpError(403, {
        error: "forbidden",
        message: `the token's repository id ${claims.repository_id} is not the id of ${repository}: the repository was deleted and recreated, or renamed`,
      });
    }
    const [owner, name] = repository.split("/") as [string, string];
    const repositoryId = Number(claims.repository_id);
    const entry: StoredReport = {
      v: 1,
      source: "oidc",
      receivedAt: deps.now(),
      repository: {
        owner,
        name,
        ...(Number.isSafeInteger(repositoryId) && repositoryId > 0 ? { id: repositoryId } : {}),
      },
      report,
    };
    fields.repository = repository;
    const outcome = await deps.accept(entry, `account-${claims.repository_owner_id ?? owner.toLowerCase()}`);
    fields.outcome = outcome.outcome;
    fields.batch = outcome.batchId;
    if (outcome.outcome === "duplicate") return c.json({ duplicate: true }, 200);
    return c.json({ accepted: true, batch: outcome.batchKey }, 202);
  });
  return app;
}
