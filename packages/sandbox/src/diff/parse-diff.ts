export type DiffStatus = "added" | "modified" | "deleted" | "renamed";

export interface DiffFile {
  path: string;
  oldPath?: string;
  status: DiffStatus;
  /** Octal git modes ("100644", "100755", "120000" for a symlink); absent where the side is absent. */
  oldMode?: string;
  newMode?: string;
  binary: boolean;
  additions: number;
  deletions: number;
}

const STATUS: Record<string, DiffStatus> = {
  A: "added",
  M: "modified",
  T: "modified",
  D: "deleted",
  R: "renamed",
  C: "added",
};

/** Parses `git diff -z --raw --numstat` (raw records first, then numstat records). */
export function parseRawNumstat(text: string): DiffFile[] {
  const tokens = text.split("\0");
  const files: DiffFile[] = [];
  const byPath = new Map<string, DiffFile>();
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i++] as string;
    if (token === "") continue;
    if (token.startsWith(":")) {
      const [oldMode, newMode, , , code = ""] = token.slice(1).split(" ");
      const letter = code.charAt(0);
      const status = STATUS[letter] ?? "modified";
      let file: DiffFile;
      if (letter === "R" || letter === "C") {
        const from = tokens[i++] as string;
        const to = tokens[i++] as string;
        file = { path: to, status, binary: false, additions: 0, deletions: 0 };
        if (letter === "R") file.oldPath = from;
      } else {
        file = { path: tokens[i++] as string, status, binary: false, additions: 0, deletions: 0 };
      }
      if (oldMode && oldMode !== "000000") file.oldMode = oldMode;
      if (newMode && newMode !== "000000") file.newMode = newMode;
      files.push(file);
      byPath.set(file.path, file);
      continue;
    }
    const [added = "", deleted = "", path = ""] = token.split("\t");
    let target = path;
    if (path === "") {
      i++; // rename: source, then destination
      target = tokens[i++] as string;
    }
    const file = byPath.get(target);
    if (!file) continue;
    if (added === "-" && deleted === "-") {
      file.binary = true;
    } else {
      file.additions = Number(added) || 0;
      file.deletions = Number(deleted) || 0;
    }
  }
  return files;
}
