import { httpError } from "../../errors/http-error.js";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The body as JSON, or 400 saying why not (JSON is UTF-8; an empty body is not JSON either). */
export function parseJson(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw httpError(400, { error: "malformed_json", message: "the body is not valid UTF-8" });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const why = error instanceof SyntaxError ? error.message.slice(0, 200) : "cannot be parsed";
    throw httpError(400, { error: "malformed_json", message: `the body is not valid JSON: ${why}` });
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
