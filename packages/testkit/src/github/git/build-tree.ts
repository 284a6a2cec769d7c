import type { BareRepository, TreeEntry } from "./bare-repository.js";

/** One change to a tree, in the Git Data API's terms: `sha: null` deletes `path`. */
export interface TreeChange {
  path: string;
  mode: string;
  type: "blob" | "tree" | "commit";
  sha?: string | null;
  content?: Buffer;
}

/** A deletion (`sha: null`) named a path the base tree does not have; GitHub refuses those. */
export class TreePathMissingError extends Error {
  constructor(readonly path: string) {
    super(`cannot delete ${path}: not in the base tree`);
    this.name = "TreePathMissingError";
  }
}

type FlatEntry = Omit<TreeEntry, "path" | "size">;

/**
 * Applies changes on top of `baseTree` (or an empty tree) and writes the resulting trees with
 * `git mktree`, nested paths included, as GitHub's "create a tree" does.
 */
export async function buildTree(repo: BareRepository, baseTree: string | null, changes: TreeChange[]): Promise<string> {
  const files = new Map<string, FlatEntry>();
  if (baseTree) {
    for (const entry of await repo.listTree(baseTree, { recursive: true })) {
      files.set(entry.path, { mode: entry.mode, type: entry.type, sha: entry.sha });
    }
  }
  const removeUnder = (path: string) => {
    for (const key of [...files.keys()]) if (key === path || key.startsWith(`${path}/`)) files.delete(key);
  };
  const removeFileAncestors = (path: string) => {
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) files.delete(parts.slice(0, i).join("/"));
  };
  for (const change of changes) {
    if (change.sha === null) {
      const exists = [...files.keys()].some((key) => key === change.path || key.startsWith(`${change.path}/`));
      if (!exists) throw new TreePathMissingError(change.path);
      removeUnder(change.path);
      continue;
    }
    removeUnder(change.path);
    removeFileAncestors(change.path);
    if (change.type === "tree") {
      for (const entry of await repo.listTree(change.sha!, { recursive: true })) {
        files.set(`${change.path}/${entry.path}`, { mode: entry.mode, type: entry.type, sha: entry.sha });
      }
      continue;
    }
    const sha = change.content !== undefined ? await repo.writeBlob(change.content) : change.sha!;
    files.set(change.path, { mode: change.mode, type: change.type, sha });
  }
  return writeNested(repo, files, "");
}

async function writeNested(repo: BareRepository, files: Map<string, FlatEntry>, prefix: string): Promise<string> {
  const direct: Array<Omit<TreeEntry, "size">> = [];
  const subdirs = new Map<string, Map<string, FlatEntry>>();
  for (const [path, entry] of files) {
    const slash = path.indexOf("/");
    if (slash === -1) {
      direct.push({ ...entry, path });
      continue;
    }
    const dir = path.slice(0, slash);
    const inner = subdirs.get(dir) ?? new Map<string, FlatEntry>();
    inner.set(path.slice(slash + 1), entry);
    subdirs.set(dir, inner);
  }
  for (const [dir, inner] of subdirs) {
    const sha = await writeNested(repo, inner, `${prefix}${dir}/`);
    direct.push({ mode: "040000", type: "tree", sha, path: dir });
  }
  return repo.writeTree(direct);
}
