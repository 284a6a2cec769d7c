import type { RepoReader } from "../reader/repo-reader.js";

/** The manifests discovery looks for, by file name. */
const MANIFESTS = ["package.json", "project.json", "Cargo.toml", "go.mod", "pyproject.toml"] as const;
export type ManifestName = (typeof MANIFESTS)[number];

/** One pass over the file list: which directories hold which manifest, and which directories exist. */
export interface RepoIndex {
  files: ReadonlySet<string>;
  dirs: ReadonlySet<string>;
  /** Directories (repository-relative, "." for the root) holding a file of this name. */
  dirsWith(manifest: ManifestName): readonly string[];
  /** Files directly inside `dir`. */
  filesIn(dir: string): readonly string[];
}

export async function indexRepository(reader: RepoReader): Promise<RepoIndex> {
  const files = await reader.listFiles();
  const byManifest = new Map<string, string[]>(MANIFESTS.map((m) => [m, []]));
  const dirs = new Set<string>(["."]);
  const filesByDir = new Map<string, string[]>();
  for (const file of files) {
    const slash = file.lastIndexOf("/");
    const dir = slash === -1 ? "." : file.slice(0, slash);
    const base = slash === -1 ? file : file.slice(slash + 1);
    byManifest.get(base)?.push(dir);
    let list = filesByDir.get(dir);
    if (!list) {
      list = [];
      filesByDir.set(dir, list);
      // Record every ancestor once; stop at the first one already known.
      let d = dir;
      while (d !== "." && !dirs.has(d)) {
        dirs.add(d);
        const up = d.lastIndexOf("/");
        d = up === -1 ? "." : d.slice(0, up);
      }
    }
    list.push(file);
  }
  return {
    files: new Set(files),
    dirs,
    dirsWith: (manifest) => byManifest.get(manifest) ?? [],
    filesIn: (dir) => filesByDir.get(dir) ?? [],
  };
}
