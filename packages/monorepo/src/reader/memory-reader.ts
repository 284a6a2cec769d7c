import type { RepoReader } from "./repo-reader.js";

/** Contents held in memory (tests, or files already fetched). */
export function createMemoryReader(files: Record<string, string> | ReadonlyMap<string, string>): RepoReader {
  const map = files instanceof Map ? files : new Map(Object.entries(files));
  const paths = [...map.keys()].sort();
  return {
    readFile: async (path) => map.get(path),
    listFiles: async () => paths,
  };
}

export interface LazyReaderSource {
  /** Every file path of the revision, e.g. the blobs of a recursive git tree from the API. */
  paths: readonly string[];
  /** Fetches one file's text; undefined when it does not exist. */
  read(path: string): Promise<string | undefined>;
}

/**
 * A path list known up front and contents fetched on demand (the GitHub API: one tree call, then
 * only the manifests discovery asks for). Each file is fetched at most once.
 */
export function createLazyReader(source: LazyReaderSource): RepoReader {
  const known = new Set(source.paths);
  const paths = [...known].sort();
  const cache = new Map<string, Promise<string | undefined>>();
  return {
    readFile(path) {
      if (!known.has(path)) return Promise.resolve(undefined);
      let text = cache.get(path);
      if (!text) {
        text = source.read(path);
        cache.set(path, text);
        // A failed fetch is not remembered, so the next call may succeed.
        text.catch(() => cache.delete(path));
      }
      return text;
    },
    listFiles: async () => paths,
  };
}
