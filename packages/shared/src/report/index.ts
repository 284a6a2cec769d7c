export { batchKey, jobIdFor } from "./batch-key.js";
export {
  describeSchemaErrors,
  type FailureReport,
  type FailureReportBody,
  failureReportBodySchema,
  failureReportSchema,
  repositoryFullName,
  type SchemaProblem,
  SHA_PATTERN,
} from "./failure-report.js";
