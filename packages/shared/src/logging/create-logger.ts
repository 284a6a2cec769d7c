import { type DestinationStream, type Logger, pino } from "pino";
import { createRedactor } from "../secrets/redact-secrets.js";

export type { Logger } from "pino";

/** Fields that hold credentials wherever they appear in a log object. */
export const REDACT_PATHS = [
  "authorization",
  "token",
  "password",
  "secret",
  "privateKey",
  "apiKey",
  "*.authorization",
  "*.Authorization",
  "*.token",
  "*.password",
  "*.secret",
  "*.privateKey",
  "*.apiKey",
  "*.webhookSecret",
  "*.cookie",
  '*.headers["authorization"]',
  '*.headers["x-api-key"]',
  '*.headers["x-hub-signature-256"]',
  '*.headers["cookie"]',
  "*.*.privateKey",
  "*.*.apiKey",
  "*.*.webhookSecret",
  "*.*.password",
  "*.*.token",
];

export interface CreateLoggerOptions {
  name: string;
  level?: string;
  /** Values that must never be printed (API keys, webhook secret, PEM): scrubbed from every line. */
  secrets?: Iterable<string | undefined>;
  /** Human-readable lines instead of JSON. Defaults to a terminal outside production. */
  pretty?: boolean;
  /** Where lines go; stdout by default. Tests pass a stream to read what was written. */
  destination?: DestinationStream;
}

/**
 * JSON logs for production, readable ones in a terminal. Secrets are removed twice: by field
 * name (pino's redact paths) and by value and shape in the finished line, which also catches a
 * token inside an error message or a URL.
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  const redact = createRedactor(options.secrets ?? []);
  const pretty = options.pretty ?? (process.stdout.isTTY === true && process.env.NODE_ENV !== "production");
  const pinoOptions = {
    name: options.name,
    level: options.level ?? "info",
    redact: { paths: REDACT_PATHS, censor: "[REDACTED]" },
    hooks: { streamWrite: (line: string) => redact(line) },
  };
  if (options.destination) return pino(pinoOptions, options.destination);
  if (pretty) {
    return pino({
      ...pinoOptions,
      transport: { target: "pino-pretty", options: { colorize: true, translateTime: "SYS:HH:MM:ss.l" } },
    });
  }
  return pino(pinoOptions);
}
