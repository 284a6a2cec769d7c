import type { z } from "zod";

type Issue = z.core.$ZodIssue;
type PathKey = PropertyKey;

const quote = (value: unknown): string => (typeof value === "string" ? `'${value}'` : String(value));

function orList(values: readonly unknown[]): string {
  const quoted = values.map(quote);
  if (quoted.length <= 1) return quoted.join("");
  return `${quoted.slice(0, -1).join(", ")} or ${quoted.at(-1)}`;
}

const TYPE_NAMES: Record<string, string> = {
  string: "a valid string",
  number: "a valid number",
  int: "a valid integer",
  boolean: "a valid boolean",
  array: "a valid list",
  object: "a valid dictionary",
  record: "a valid dictionary",
  null: "None",
};

function joinPath(path: readonly PathKey[]): string {
  return path.map(String).join(".");
}

/** The issue a person should read first: the deepest one, looking inside unions. */
function deepest(issue: Issue, prefix: readonly PathKey[] = []): { issue: Issue; path: PathKey[] } {
  const path = [...prefix, ...issue.path];
  if (issue.code === "invalid_union" && issue.errors.length > 0) {
    let best: { issue: Issue; path: PathKey[] } | undefined;
    for (const branch of issue.errors) {
      for (const inner of branch) {
        const candidate = deepest(inner, path);
        if (!best || candidate.path.length > best.path.length) best = candidate;
      }
    }
    if (best && best.path.length > path.length) return best;
  }
  return { issue, path };
}

/**
 * One line in the API's (pydantic-style) wording, e.g. `max_tokens: Field required` or
 * `messages.0.role: Input should be 'user', 'assistant' or 'system'`.
 */
export function describeValidationError(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return "Invalid request";
  const { issue, path } = deepest(first);
  const at = joinPath(path);
  const prefix = at ? `${at}: ` : "";
  switch (issue.code) {
    case "invalid_type": {
      if (issue.input === undefined) return `${prefix}Field required`;
      if (issue.message.startsWith("Input should be")) return `${prefix}${issue.message}`;
      return `${prefix}Input should be ${TYPE_NAMES[issue.expected] ?? `a valid ${issue.expected}`}`;
    }
    case "unrecognized_keys":
      return `${at ? `${at}.` : ""}${issue.keys[0]}: Extra inputs are not permitted`;
    case "invalid_value":
      return `${prefix}Input should be ${orList(issue.values)}`;
    case "too_small": {
      if (issue.origin === "array") {
        const length = Array.isArray(issue.input) ? issue.input.length : 0;
        return `${prefix}List should have at least ${issue.minimum} item after validation, not ${length}`;
      }
      if (issue.origin === "string") return `${prefix}String should have at least ${issue.minimum} character`;
      return `${prefix}Input should be greater than or equal to ${issue.minimum}`;
    }
    case "too_big": {
      if (issue.origin === "array") return `${prefix}List should have at most ${issue.maximum} items after validation`;
      if (issue.origin === "string") return `${prefix}String should have at most ${issue.maximum} characters`;
      return `${prefix}Input should be less than or equal to ${issue.maximum}`;
    }
    case "invalid_format":
      return issue.format === "regex" && "pattern" in issue
        ? `${prefix}String should match pattern '${String(issue.pattern).replace(/^\/|\/$/g, "")}'`
        : `${prefix}Input should be a valid ${issue.format}`;
    case "invalid_union": {
      const discriminator = "discriminator" in issue ? issue.discriminator : undefined;
      if (discriminator) {
        // zod points at the tag itself when it is wrong, at the object when it is missing.
        const atTag = path.at(-1) === discriminator;
        const where = atTag ? at : `${at ? `${at}.` : ""}${discriminator}`;
        const input = issue.input;
        const tag =
          input !== null && typeof input === "object" ? (input as Record<string, unknown>)[discriminator] : input;
        if (tag === undefined) return `${where}: Field required`;
        const expected = "options" in issue && issue.options ? `: ${issue.options.map(quote).join(", ")}` : "";
        return `${where}: Input tag ${quote(tag)} found using '${discriminator}' does not match any of the expected tags${expected}`;
      }
      return `${prefix}Input should be a valid value`;
    }
    default:
      return `${prefix}${issue.message}`;
  }
}
