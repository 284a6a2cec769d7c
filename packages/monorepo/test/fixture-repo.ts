import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createLocalReader } from "../src/reader/local-reader.js";
import type { RepoReader } from "../src/reader/repo-reader.js";

export interface FixtureRepo {
  root: string;
  reader: RepoReader;
  remove(): Promise<void>;
}

/** Writes `files` (repository path → content; objects become JSON) into a fresh temp directory. */
export async function makeFixtureRepo(files: Record<string, string | object>): Promise<FixtureRepo> {
  const root = await mkdtemp(path.join(tmpdir(), "fixfleet-monorepo-"));
  for (const [file, content] of Object.entries(files)) {
    const full = path.join(root, file);
    await mkdir(path.dirname(full), { recursive: true });
    await writeFile(full, typeof content === "string" ? content : `${JSON.stringify(content, null, 2)}\n`);
  }
  return { root, reader: createLocalReader(root), remove: () => rm(root, { recursive: true, force: true }) };
}

/** A Node package.json with a test script. */
export function nodePackage(name: string, deps: Record<string, string> = {}, extra: object = {}): object {
  return { name, version: "1.0.0", scripts: { test: "node test.js" }, dependencies: deps, ...extra };
}
