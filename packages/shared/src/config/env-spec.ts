import { z } from "zod";

/** How one environment variable is read: its schema, default, an example, whether it is secret. */
export interface EnvVarSpec<T = unknown> {
  schema: z.ZodType<T>;
  /** Used when the variable is unset or empty. Without one, the variable is required. */
  default?: string;
  optional?: boolean;
  example: string;
  secret?: boolean;
}

export type EnvSpec = Record<string, EnvVarSpec>;

type ValueOf<S extends EnvVarSpec> =
  S extends EnvVarSpec<infer T> ? (S["optional"] extends true ? T | undefined : T) : never;

export type EnvValues<S extends EnvSpec> = { [K in keyof S]: ValueOf<S[K]> };

export type EnvResult<S extends EnvSpec> = { ok: true; values: EnvValues<S> } | { ok: false; problems: string[] };

export type Env = Record<string, string | undefined>;

/**
 * Reads every variable of a spec and collects one problem line per missing or bad one
 * (name, what is wrong, an example), never echoing the value of a secret.
 */
export function parseEnv<S extends EnvSpec>(spec: S, env: Env): EnvResult<S> {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, varSpec] of Object.entries(spec)) {
    const raw = env[name];
    const given = raw !== undefined && raw.trim() !== "";
    if (!given && varSpec.default === undefined) {
      if (varSpec.optional) {
        values[name] = undefined;
        continue;
      }
      problems.push(`${name}: is required but not set (example: ${name}=${varSpec.example})`);
      continue;
    }
    const input = given ? raw.trim() : (varSpec.default as string);
    const parsed = varSpec.schema.safeParse(input);
    if (parsed.success) {
      values[name] = parsed.data;
    } else {
      const what = parsed.error.issues.map((i) => i.message).join("; ");
      const shown = varSpec.secret ? "the given value" : JSON.stringify(input);
      problems.push(`${name}: ${shown} is invalid: ${what} (example: ${name}=${varSpec.example})`);
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, values: values as EnvValues<S> };
}

export const port = z.coerce
  .number({ message: "must be a number" })
  .int("must be a whole number")
  .min(0, "must be between 0 and 65535")
  .max(65535, "must be between 0 and 65535");

export const positiveInt = z.coerce
  .number({ message: "must be a number" })
  .int("must be a whole number")
  .positive("must be greater than 0");

export const nonNegativeInt = z.coerce
  .number({ message: "must be a number" })
  .int("must be a whole number")
  .min(0, "must be 0 or more");

export const nonNegativeNumber = z.coerce.number({ message: "must be a number" }).min(0, "must be 0 or more");

export const httpUrl = z
  .string()
  .refine((s) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol), "must be an http(s) URL")
  .transform((s) => s.replace(/\/+$/, ""));

export const redisUrl = z
  .string()
  .refine((s) => URL.canParse(s) && /^rediss?:$/.test(new URL(s).protocol), "must be a redis:// or rediss:// URL");

export const logLevel = z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
  message: "must be one of fatal, error, warn, info, debug, trace, silent",
});
