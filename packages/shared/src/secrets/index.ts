export { createRedactor, REDACTED, type Redactor, redactSecrets } from "./redact-secrets.js";
