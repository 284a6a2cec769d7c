/**
 * Shapes of credentials that must never leave the process in a log line, a prompt, a comment
 * or a file copied into the sandbox, whether or not we know their value in advance.
 */
export const SECRET_PATTERNS: readonly RegExp[] = [
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
export const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi;
export const AUTH_HEADER =
  /\b(authorization|x-api-key)(["']?\s*[:=]\s*["']?)(?:(?:bearer|token|basic)\s+)?[^\s"',}]+/gi;

/**
 * A literal that every match of the patterns above contains: case-sensitive ones for
 * SECRET_PATTERNS and URL_CREDENTIALS ("://" has no case), case-insensitive ones for
 * AUTH_HEADER. A text with none of them matches no pattern, so it can skip the eight scans;
 * most log lines are such texts. A pattern added above needs its literal here (the redactor's
 * tests compare against applying every pattern).
 */
const MARKERS = /PRIVATE KEY|gh[pousr]_|github_pat_|sk-ant-|eyJ|AKIA|ASIA|:\/\//;
const AUTH_MARKERS = /authorization|x-api-key/i;

/** False only when no credential pattern can match anywhere in the text. */
export function mayHoldCredential(text: string): boolean {
  return MARKERS.test(text) || AUTH_MARKERS.test(text);
}
