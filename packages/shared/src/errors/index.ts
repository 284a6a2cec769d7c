export { classifyError, isTransient } from "./classify-error.js";
export { type ErrorKind, FixfleetError, type FixfleetErrorOptions } from "./fixfleet-error.js";
export { PermanentError } from "./permanent-error.js";
export { TransientError, type TransientErrorOptions } from "./transient-error.js";
