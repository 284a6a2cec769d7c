import type { RepoReader } from "../reader/repo-reader.js";

/** The manifests discovery looks for, by file name. */
const MANIFESTS = ["package.json", "project.json", "Cargo.toml", "go.mod", "pyproject.toml"] as const;
export type ManifestName = (typeof MANIFESTS)[number];

/** Files whose presence alone declares a workspace in their directory. */
const WORKSPACE_MARKERS = new Set(["pnpm-workspace.yaml", "go.work", "lerna.json", "nx.json"]);

/** One pass over the file list: which directories hold which manifest; the rest is computed on demand. */
export interface RepoIndex {
  files: ReadonlySet<string>;
  /** Every directory that holds a file, and their ancestors ("." included). */
  readonly dirs: ReadonlySet<string>;
  /** Directories (repository-relative, "." for the root) holding a file of this name. */
  dirsWith(manifest: ManifestName): readonly string[];
  /** Directories holding a file that declares a workspace by existing (pnpm-workspace.yaml, go.work, …). */
  markerDirs: ReadonlySet<string>;
  /** Whether `dir` holds a file at any depth: `dirs.has(dir)` without building `dirs` for a few questions. */
  hasDir(dir: string): boolean;
  /** Files directly inside `dir`. */
  filesIn(dir: string): readonly string[];
}

/** Questions `hasDir` answers by scanning the file list before building every directory is cheaper. */
const SCANS_BEFORE_BUILDING_DIRS = 16;

export async function indexRepository(reader: RepoReader): Promise<RepoIndex> {
  const files = await reader.listFiles();
  const byManifest = new Map<string, string[]>(MANIFESTS.map((m) => [m, []]));
  const markerDirs = new Set<string>();
  // Only names of interest are sliced out: this loop runs over every file of large repositories.
  for (const file of files) {
    const slash = file.lastIndexOf("/");
    const base = slash === -1 ? file : file.slice(slash + 1);
    const list = byManifest.get(base);
    const marker = WORKSPACE_MARKERS.has(base);
    if (!list && !marker) continue;
    const dir = slash === -1 ? "." : file.slice(0, slash);
    list?.push(dir);
    if (marker) markerDirs.add(dir);
  }
  let dirs: Set<string> | undefined;
  let scans = 0;
  const filesByDir = new Map<string, string[]>();
  const index: RepoIndex = {
    files: new Set(files),
    hasDir(dir) {
      if (dir === ".") return true;
      if (dirs || ++scans > SCANS_BEFORE_BUILDING_DIRS) return index.dirs.has(dir);
      const prefix = `${dir}/`;
      return files.some((f) => f.startsWith(prefix));
    },
    get dirs() {
      if (!dirs) {
        dirs = new Set(["."]);
        for (const file of files) {
          let d = file;
          for (;;) {
            const up = d.lastIndexOf("/");
            if (up === -1) break;
            d = d.slice(0, up);
            if (dirs.has(d)) break;
            dirs.add(d);
          }
        }
      }
      return dirs;
    },
    dirsWith: (manifest) => byManifest.get(manifest) ?? [],
    markerDirs,
    filesIn(dir) {
      let list = filesByDir.get(dir);
      if (!list) {
        const prefix = dir === "." ? "" : `${dir}/`;
        list = files.filter((f) => f.startsWith(prefix) && !f.slice(prefix.length).includes("/"));
        filesByDir.set(dir, list);
      }
      return list;
    },
  };
  return index;
}
