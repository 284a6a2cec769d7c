export const REDACTED = "[REDACTED]";

/**
 * Shapes of credentials that must never leave the process in a log line, a prompt, a comment
 * or a file copied into the sandbox, whether or not we know their value in advance.
 */
const SECRET_PATTERNS: readonly RegExp[] = [
  // PEM private keys (PKCS#1 and PKCS#8, RSA or EC), whole block.
  /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----[\s\S]*?-----END (?:[A-Z]+ )?PRIVATE KEY-----/g,
  // GitHub tokens: installation (ghs_), personal (ghp_), OAuth (gho_), user (ghu_), refresh (ghr_), fine-grained.
  /\bgh[pousr]_[A-Za-z0-9_]{20,255}\b/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,255}\b/g,
  // Anthropic API keys.
  /\bsk-ant-[A-Za-z0-9_-]{10,}/g,
  // JSON Web Tokens (App JWTs, OIDC tokens).
  /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{10,}/g,
  // AWS access key ids.
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g,
];

/** Credentials inside URLs (`https://x-access-token:TOKEN@host`) and Authorization values. */
const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi;
const AUTH_HEADER = /\b(authorization|x-api-key)(["']?\s*[:=]\s*["']?)(?:(?:bearer|token|basic)\s+)?[^\s"',}]+/gi;

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
    for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, REDACTED);
    out = out.replace(URL_CREDENTIALS, `$1${REDACTED}@`);
    out = out.replace(AUTH_HEADER, `$1$2${REDACTED}`);
    return out;
  };
}

/** Redacts credential shapes only, for places that know no secret values. */
export const redactSecrets: Redactor = createRedactor();
