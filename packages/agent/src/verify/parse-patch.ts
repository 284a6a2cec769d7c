/** The added and removed lines of one file in a unified diff (git's format). */
export interface FilePatch {
  path: string;
  added: string[];
  removed: string[];
}

function unquote(p: string): string {
  if (p.startsWith('"') && p.endsWith('"')) {
    try {
      return JSON.parse(p) as string;
    } catch {
      return p.slice(1, -1);
    }
  }
  return p;
}

export function parsePatch(patch: string): FilePatch[] {
  const files: FilePatch[] = [];
  let current: FilePatch | undefined;
  let inHunk = false;
  for (const line of patch.split("\n")) {
    if (line.startsWith("diff --git ")) {
      current = { path: "", added: [], removed: [] };
      files.push(current);
      inHunk = false;
      continue;
    }
    if (!current) continue;
    if (!inHunk) {
      if (line.startsWith("+++ ")) {
        const p = unquote(line.slice(4).trim());
        if (p !== "/dev/null") current.path = p.replace(/^b\//, "");
      } else if (line.startsWith("--- ")) {
        const p = unquote(line.slice(4).trim());
        if (p !== "/dev/null" && !current.path) current.path = p.replace(/^a\//, "");
      } else if (line.startsWith("@@")) inHunk = true;
      continue;
    }
    if (line.startsWith("@@")) continue;
    if (line.startsWith("+")) current.added.push(line.slice(1));
    else if (line.startsWith("-")) current.removed.push(line.slice(1));
  }
  return files;
}
