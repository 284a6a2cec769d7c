import { readFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * The commit a checkout's HEAD names, read from its files (no git process, nothing of the
 * repository's config runs). Undefined when it cannot be told this way (a `.git` file of a
 * worktree, a missing ref): the caller then asks git inside the sandbox.
 */
export async function readGitHead(dir: string): Promise<string | undefined> {
  const gitDir = join(dir, ".git");
  let head: string;
  try {
    head = (await readFile(join(gitDir, "HEAD"), "utf8")).trim();
  } catch {
    return undefined;
  }
  if (/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(head)) return head;
  const ref = /^ref: (refs\/[^\s]+)$/.exec(head)?.[1];
  if (!ref || ref.includes("..")) return undefined;
  try {
    const sha = (await readFile(join(gitDir, ref), "utf8")).trim();
    if (/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sha)) return sha;
  } catch {}
  try {
    const packed = await readFile(join(gitDir, "packed-refs"), "utf8");
    for (const line of packed.split("\n")) {
      const [sha, name] = line.split(" ");
      if (name === ref && sha && /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sha)) return sha;
    }
  } catch {}
  return undefined;
}
