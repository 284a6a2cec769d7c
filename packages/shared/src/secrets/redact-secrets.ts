import { AUTH_HEADER, mayHoldCredential, SECRET_PATTERNS, URL_CREDENTIALS } from "./secret-patterns.js";

export const REDACTED = "[REDACTED]";

export type Redactor = (text: string) => string;

/**
 * Builds a function that removes every known secret value and every credential-shaped string
 * from a text. Known values shorter than 6 characters are ignored: redacting "a" everywhere
 * would destroy the text and protect nothing.
 */
export function createRedactor(knownSecrets: Iterable<string | undefined> = []): Redactor {
  const values = [...new Set([...knownSecrets].filter((s): s is string => !!s && s.length >= 6))]
    // Longest first, so a secret that contains another is replaced whole.
    .sort((a, b) => b.length - a.length);
  return (text: string) => {
    let out = text;
    for (const value of values) {
      if (out.includes(value)) out = out.split(value).join(REDACTED);
    }
    // Most texts (log lines) hold nothing credential-shaped: one scan for the literals every
    // pattern needs spares them eight. Exact, not a guess: a text without any of those literals
    // is left unchanged by every pattern.
    if (!mayHoldCredential(out)) return out;
    for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, REDACTED);
    out = out.replace(URL_CREDENTIALS, `$1${REDACTED}@`);
    out = out.replace(AUTH_HEADER, `$1$2${REDACTED}`);
    return out;
  };
}

/** Redacts credential shapes only, for places that know no secret values. */
export const redactSecrets: Redactor = createRedactor();
