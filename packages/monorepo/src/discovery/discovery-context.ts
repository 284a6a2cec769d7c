import { parse as parseToml } from "smol-toml";
import type { RepoReader } from "../reader/repo-reader.js";
import type { DiscoveryWarning } from "../types.js";
import type { RepoIndex } from "./repo-index.js";

/** What every ecosystem's discovery shares: the reader, the index, and one list of warnings. */
export interface DiscoveryContext {
  reader: RepoReader;
  index: RepoIndex;
  /** The file's text through a per-discovery cache; undefined when absent. */
  read(file: string): Promise<string | undefined>;
  warnings: DiscoveryWarning[];
  warn(code: DiscoveryWarning["code"], file: string, message: string): void;
  /** Parsed JSON object, undefined when absent; a malformed file becomes a warning. */
  readJson(file: string): Promise<Record<string, unknown> | undefined>;
  /** Parsed TOML table, undefined when absent; a malformed file becomes a warning. */
  readToml(file: string): Promise<Record<string, unknown> | undefined>;
}

export function createDiscoveryContext(reader: RepoReader, index: RepoIndex): DiscoveryContext {
  const warnings: DiscoveryWarning[] = [];
  const warn: DiscoveryContext["warn"] = (code, file, message) => {
    if (!warnings.some((w) => w.code === code && w.file === file && w.message === message)) {
      warnings.push({ code, file, message });
    }
  };
  // Nested-workspace checks read manifests a second time; one read per file is enough.
  const cache = new Map<string, Promise<string | undefined>>();
  function read(file: string): Promise<string | undefined> {
    if (!index.files.has(file)) return Promise.resolve(undefined);
    let text = cache.get(file);
    if (!text) {
      text = reader.readFile(file);
      cache.set(file, text);
    }
    return text;
  }
  return {
    reader,
    index,
    read,
    warnings,
    warn,
    async readJson(file) {
      const text = await read(file);
      if (text === undefined) return undefined;
      try {
        const value: unknown = JSON.parse(stripBom(text));
        if (isRecord(value)) return value;
        warn("malformed-file", file, `${file} is not a JSON object; it was ignored.`);
      } catch (error) {
        warn("malformed-file", file, `${file} is not valid JSON (${(error as Error).message}); it was ignored.`);
      }
      return undefined;
    },
    async readToml(file) {
      const text = await read(file);
      if (text === undefined) return undefined;
      try {
        return parseToml(stripBom(text)) as Record<string, unknown>;
      } catch (error) {
        const first = (error as Error).message.split("\n")[0];
        warn("malformed-file", file, `${file} is not valid TOML (${first}); it was ignored.`);
        return undefined;
      }
    },
  };
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function asRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

export function asString(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}
