import { type ValidationError, validationFailed } from "./github-http-error.js";

type Kind = "string" | "number" | "boolean" | "object" | "array";

function kindOf(value: unknown): Kind | "null" | "undefined" {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value as Kind;
}

/**
 * Checks a request body the way GitHub documents its client errors: a required field that is
 * absent is `missing_field`, a field of the wrong type is `invalid`; all listed in one 422.
 */
export function validateBody(
  body: Record<string, unknown>,
  resource: string,
  spec: { required?: Record<string, Kind>; optional?: Record<string, Kind | "nullable-string"> },
  documentationUrl?: string,
): void {
  const errors: ValidationError[] = [];
  for (const [field, kind] of Object.entries(spec.required ?? {})) {
    const actual = kindOf(body[field]);
    if (actual === "undefined" || actual === "null") errors.push({ resource, code: "missing_field", field });
    else if (actual !== kind) errors.push({ resource, code: "invalid", field });
  }
  for (const [field, kind] of Object.entries(spec.optional ?? {})) {
    const actual = kindOf(body[field]);
    if (actual === "undefined") continue;
    if (kind === "nullable-string" ? actual !== "string" && actual !== "null" : actual !== kind) {
      errors.push({ resource, code: "invalid", field });
    }
  }
  if (errors.length > 0) throw validationFailed(errors, documentationUrl);
}
