import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRedactor, REDACTED, redactSecrets } from "./redact-secrets.js";
import { AUTH_HEADER, SECRET_PATTERNS, URL_CREDENTIALS } from "./secret-patterns.js";

/** The redactor without its shortcut: every known value, then every pattern, always. */
function redactEverything(known: string[], text: string): string {
  let out = text;
  for (const value of [...new Set(known.filter((s) => s.length >= 6))].sort((a, b) => b.length - a.length)) {
    out = out.split(value).join(REDACTED);
  }
  for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, REDACTED);
  out = out.replace(URL_CREDENTIALS, `$1${REDACTED}@`);
  return out.replace(AUTH_HEADER, `$1$2${REDACTED}`);
}

const PEM = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB\n-----END EC PRIVATE KEY-----";

/** One text per pattern (and per spelling the case-insensitive ones accept), each a credential. */
const CREDENTIALS: [string, string][] = [
  ["PEM block", `key ${PEM} end`],
  ["PKCS#8 PEM block", "-----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----"],
  ...["ghp", "gho", "ghu", "ghs", "ghr"].map((p): [string, string] => [`${p}_ token`, `t=${p}_${"a".repeat(36)};`]),
  ["fine-grained token", `github_pat_${"B".repeat(30)}`],
  ["Anthropic key", "sk-ant-api03-xyzxyzxyzxyz"],
  ["JWT", "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJlLXZhbHVl"],
  ["AWS key id", "AKIAABCDEFGHIJKLMNOP"],
  ["AWS session key id", "ASIAABCDEFGHIJKLMNOP"],
  ["URL credentials", "https://x-access-token:hunter2hunter2@github.com/o/r.git"],
  ["URL credentials, upper-case scheme", "HTTPS://user:pa55word@host/"],
  ["Authorization header", "Authorization: Bearer abc.def.ghi"],
  ["AUTHORIZATION header", "AUTHORIZATION: token abcdef"],
  ["authorization JSON field", '{"authorization":"Basic dXNlcjpwYXNz"}'],
  ["x-api-key header", "x-api-key: key-123456"],
  ["X-Api-Key assignment", "X-Api-Key=key-123456"],
  ["X-API-KEY JSON field", '{"X-API-KEY":"key-123456"}'],
];

describe("redactSecrets", () => {
  it("removes credential shapes and keeps the rest of the text", () => {
    const text = [
      "token ghp_0123456789abcdefghijABCDEFGHIJ0123",
      "Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJlLXZhbHVl",
      "x-api-key: sk-ant-api03-xyzxyzxyzxyz",
      "AKIAABCDEFGHIJKLMNOP",
    ].join("\n");
    const out = redactSecrets(text);
    expect(out).not.toMatch(/ghp_|eyJ|sk-ant|AKIA/);
    expect(out.split("\n")[0]).toBe("token [REDACTED]");
  });

  it("removes known values, longest first", () => {
    const redact = createRedactor(["supersecret", "supersecret-and-more", "ab"]);
    expect(redact("x supersecret-and-more y supersecret ab")).toBe("x [REDACTED] y [REDACTED] ab");
  });

  it.each(CREDENTIALS)(
    "redacts a %s, alone, inside a text and as every pattern does in a JSON line",
    (_name, credential) => {
      for (const text of [credential, `clone failed: ${credential} (exit 128)`]) {
        const out = redactSecrets(text);
        expect(out).toContain(REDACTED);
        expect(out).toBe(redactEverything([], text));
      }
      const line = JSON.stringify({ level: 30, route: "/webhooks/github", detail: `failed: ${credential}` });
      expect(redactSecrets(line)).toBe(redactEverything([], line));
    },
  );

  it("redacts a known value in a line that holds nothing credential-shaped", () => {
    const redact = createRedactor(["whsec-plain-value"]);
    expect(redact('{"msg":"request","detail":"whsec-plain-value"}')).toBe('{"msg":"request","detail":"[REDACTED]"}');
  });

  it("leaves a line without credentials as it was", () => {
    const line = '{"level":30,"route":"/webhooks/github","status":202,"repository":"octo-org/bench","msg":"request"}';
    expect(createRedactor(["bench-webhook-secret"])(line)).toBe(line);
  });

  it("redacts exactly what applying every pattern to every text redacts", () => {
    // Texts made of pieces of every credential shape, of the literals the shortcut looks for,
    // cut and glued anywhere: the shortcut may skip the patterns only where none would match.
    const known = ["whsec-known-value", "redis-pass-word"];
    const pieces = [
      ...CREDENTIALS.map(([, c]) => c),
      ...known,
      "PRIVATE KEY",
      "-----",
      "gh",
      "p_",
      "github_pat_",
      "sk-ant-",
      "eyJ",
      "AKIA",
      "ASIA",
      "://",
      "Authorization",
      "x-api-key",
      "Bearer ",
      ": ",
      "=",
      '"',
      "@",
      "/",
      ".",
      "_",
      "-",
      " ",
      "\n",
      "aB3",
      "0123456789ABCDEFGHIJ",
      "whsec-",
    ];
    const piece = fc.oneof(
      fc.constantFrom(...pieces),
      fc.tuple(fc.constantFrom(...pieces), fc.nat(), fc.nat()).map(([p, a, b]) => p.slice(a % (p.length + 1), b)),
      fc.string({ maxLength: 8 }),
    );
    const redact = createRedactor(known);
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const text = parts.join("");
        expect(redact(text)).toBe(redactEverything(known, text));
      }),
      { numRuns: 5_000 },
    );
  });
});
