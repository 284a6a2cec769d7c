import { createReadStream } from "node:fs";
import { parseArgs } from "node:util";
import { extractLog } from "@fixfleet/github";
import type { CommandIo } from "./command-io.js";
import { UsageError } from "./usage-error.js";

export const EXTRACT_LOG_USAGE = `Usage: fixfleet extract-log <file | -> [--budget <chars>] [--json]

Reads a raw GitHub Actions job log (as "Download log archive" or
GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs gives it; "-" reads stdin) and prints
exactly what fixfleet's model is shown of it: the failure sections with their context and the
log's tail, timestamps, colours and group markers stripped, secrets redacted, within the budget.

  --budget <chars>  size of the excerpt in characters (default 16000, as the worker uses)
  --json            print the structured excerpt (sections, key lines, statistics) as JSON`;

export async function extractLogCommand(args: string[], io: CommandIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), EXTRACT_LOG_USAGE);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(`${EXTRACT_LOG_USAGE}\n`);
    return 0;
  }
  const file = positionals[0];
  if (!file || positionals.length > 1)
    throw new UsageError("give exactly one log file (or - for stdin)", EXTRACT_LOG_USAGE);
  const budgetChars = values.budget === undefined ? 16_000 : Number(values.budget);
  if (!Number.isInteger(budgetChars) || budgetChars < 500) {
    throw new UsageError(`--budget must be a whole number of at least 500, got "${values.budget}"`, EXTRACT_LOG_USAGE);
  }
  const source = file === "-" ? io.stdin : createReadStream(file);
  const { text, excerpt } = await extractLog(source, { budgetChars });
  io.stdout.write(values.json ? `${JSON.stringify({ text, ...excerpt }, null, 2)}\n` : `${text}\n`);
  return 0;
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: { budget: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
  });
}
