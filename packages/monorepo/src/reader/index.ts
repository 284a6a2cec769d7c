export { createLocalReader, DEFAULT_IGNORED_DIRS, type LocalReaderOptions } from "./local-reader.js";
export { createLazyReader, createMemoryReader, type LazyReaderSource } from "./memory-reader.js";
export type { RepoReader } from "./repo-reader.js";
