export type { CommandIo } from "./commands/command-io.js";
export { EXTRACT_LOG_USAGE, extractLogCommand } from "./commands/extract-log.js";
export { UsageError } from "./commands/usage-error.js";
export { run, USAGE } from "./run.js";
