import { appendFile, mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { gitText, runGit } from "./run-git.js";

export interface TreeEntry {
  mode: string;
  type: "blob" | "tree" | "commit";
  sha: string;
  /** Blob size in bytes; undefined for trees and submodules. */
  size?: number;
  path: string;
}

export interface GitIdentity {
  name: string;
  email: string;
  /** Seconds since the epoch. */
  date: number;
}

export interface CommitObject {
  sha: string;
  tree: string;
  parents: string[];
  author: GitIdentity;
  committer: GitIdentity;
  message: string;
}

export const EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

/** A bare repository on disk, driven only through git plumbing so clones see exactly what the API wrote. */
export class BareRepository {
  constructor(readonly gitDir: string) {}

  async init(defaultBranch: string): Promise<void> {
    await mkdir(dirname(this.gitDir), { recursive: true });
    await runGit(this.gitDir, ["init", "--bare", "--quiet", `--initial-branch=${defaultBranch}`, this.gitDir]);
    // What github.com allows: partial clone filters, fetching any reachable commit, protocol v2
    // (pushes are enabled per request by REMOTE_USER, i.e. only with a token). Appended in one write rather than one `git config` process each.
    await appendFile(
      join(this.gitDir, "config"),
      [
        "[uploadpack]",
        "\tallowFilter = true",
        "\tallowReachableSHA1InWant = true",
        "\tallowAnySHA1InWant = true",
        "[protocol]",
        "\tversion = 2",
        "",
      ].join("\n"),
    );
  }

  async objectType(sha: string): Promise<string | null> {
    if (!/^[0-9a-f]{40}$/.test(sha)) return null;
    const result = await runGit(this.gitDir, ["cat-file", "-t", sha], { okCodes: [1, 128] });
    return result.code === 0 ? result.stdout.toString("utf8").trim() : null;
  }

  /** Resolves a branch, tag or sha (as GitHub's `ref` parameters do) to a commit sha. */
  async resolveCommit(ref: string): Promise<string | null> {
    if (!isSafeRef(ref)) return null;
    const candidates = /^[0-9a-f]{40}$/.test(ref) ? [ref] : [`refs/heads/${ref}`, `refs/tags/${ref}`, ref];
    for (const candidate of candidates) {
      const result = await runGit(
        this.gitDir,
        ["rev-parse", "--verify", "--quiet", "--end-of-options", `${candidate}^{commit}`],
        { okCodes: [1, 128] },
      );
      if (result.code === 0) return result.stdout.toString("utf8").trim();
    }
    return null;
  }

  /** The sha a full ref name (`refs/heads/x`) points at, or null. */
  async readRef(fullRef: string): Promise<string | null> {
    if (!isSafeRef(fullRef)) return null;
    const result = await runGit(this.gitDir, ["rev-parse", "--verify", "--quiet", "--end-of-options", fullRef], {
      okCodes: [1, 128],
    });
    return result.code === 0 ? result.stdout.toString("utf8").trim() : null;
  }

  async listRefs(prefix = "refs/"): Promise<Array<{ ref: string; sha: string }>> {
    const text = await gitText(this.gitDir, ["for-each-ref", "--format=%(refname) %(objectname)", prefix]);
    return text
      .split("\n")
      .filter(Boolean)
      .map((line) => {
        const [ref, sha] = line.split(" ");
        return { ref: ref!, sha: sha! };
      });
  }

  /** Moves a ref; with `oldSha` the update is atomic against a concurrent writer. */
  async updateRef(fullRef: string, newSha: string, oldSha?: string | null): Promise<void> {
    const args = ["update-ref", fullRef, newSha];
    if (oldSha !== undefined) args.push(oldSha ?? "0".repeat(40));
    await runGit(this.gitDir, args);
  }

  async deleteRef(fullRef: string): Promise<void> {
    await runGit(this.gitDir, ["update-ref", "-d", fullRef]);
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    const result = await runGit(this.gitDir, ["merge-base", "--is-ancestor", ancestor, descendant], { okCodes: [1] });
    return result.code === 0;
  }

  async mergeBase(a: string, b: string): Promise<string | null> {
    const result = await runGit(this.gitDir, ["merge-base", a, b], { okCodes: [1] });
    return result.code === 0 ? result.stdout.toString("utf8").trim() : null;
  }

  async listTree(
    treeish: string,
    options: { recursive?: boolean; withTrees?: boolean; path?: string } = {},
  ): Promise<TreeEntry[]> {
    const args = ["ls-tree", "-z", "-l"];
    if (options.recursive) args.push("-r");
    if (options.withTrees) args.push("-t");
    args.push(treeish);
    if (options.path !== undefined) args.push("--", options.path);
    const result = await runGit(this.gitDir, args);
    return parseLsTree(result.stdout);
  }

  /** The entry at `path` in a commit's tree, or null. */
  async entryAt(commitSha: string, path: string): Promise<TreeEntry | null> {
    const clean = path.replace(/^\/+|\/+$/g, "");
    if (clean === "") {
      const tree = await gitText(this.gitDir, ["rev-parse", `${commitSha}^{tree}`]);
      return { mode: "040000", type: "tree", sha: tree, path: "" };
    }
    const entries = await this.listTree(commitSha, { path: clean });
    return entries.find((entry) => entry.path === clean) ?? null;
  }

  async readBlob(sha: string): Promise<Buffer> {
    return (await runGit(this.gitDir, ["cat-file", "blob", sha])).stdout;
  }

  async writeBlob(content: Buffer): Promise<string> {
    return gitText(this.gitDir, ["hash-object", "-w", "--stdin"], { input: content });
  }

  async writeTree(entries: Array<Omit<TreeEntry, "size">>): Promise<string> {
    const input = entries.map((entry) => `${entry.mode} ${entry.type} ${entry.sha}\t${entry.path}\0`).join("");
    return gitText(this.gitDir, ["mktree", "-z", "--missing"], { input });
  }

  async writeCommit(input: {
    tree: string;
    parents: string[];
    message: string;
    author: GitIdentity;
    committer: GitIdentity;
  }): Promise<string> {
    const args = ["commit-tree", input.tree];
    for (const parent of input.parents) args.push("-p", parent);
    return gitText(this.gitDir, args, {
      input: input.message,
      env: {
        GIT_AUTHOR_NAME: input.author.name,
        GIT_AUTHOR_EMAIL: input.author.email,
        GIT_AUTHOR_DATE: `@${input.author.date} +0000`,
        GIT_COMMITTER_NAME: input.committer.name,
        GIT_COMMITTER_EMAIL: input.committer.email,
        GIT_COMMITTER_DATE: `@${input.committer.date} +0000`,
      },
    });
  }

  async readCommit(sha: string): Promise<CommitObject | null> {
    if ((await this.objectType(sha)) !== "commit") return null;
    const raw = (await runGit(this.gitDir, ["cat-file", "commit", sha])).stdout.toString("utf8");
    const split = raw.indexOf("\n\n");
    const header = split === -1 ? raw : raw.slice(0, split);
    const message = split === -1 ? "" : raw.slice(split + 2);
    const parents: string[] = [];
    let tree = "";
    let author: GitIdentity = { name: "", email: "", date: 0 };
    let committer = author;
    for (const line of header.split("\n")) {
      const [key, ...rest] = line.split(" ");
      const value = rest.join(" ");
      if (key === "tree") tree = value;
      else if (key === "parent") parents.push(value);
      else if (key === "author") author = parseIdentity(value);
      else if (key === "committer") committer = parseIdentity(value);
    }
    return { sha, tree, parents, author, committer, message };
  }
}

function parseIdentity(value: string): GitIdentity {
  const match = /^(.*) <(.*)> (\d+) [+-]\d{4}$/.exec(value);
  if (!match) return { name: value, email: "", date: 0 };
  return { name: match[1]!, email: match[2]!, date: Number(match[3]) };
}

function parseLsTree(output: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const record of output.toString("utf8").split("\0")) {
    if (!record) continue;
    const tab = record.indexOf("\t");
    const [mode, type, sha, size] = record.slice(0, tab).trim().split(/\s+/);
    entries.push({
      mode: mode!,
      type: type as TreeEntry["type"],
      sha: sha!,
      size: size === "-" || size === undefined ? undefined : Number(size),
      path: record.slice(tab + 1),
    });
  }
  return entries;
}

/** Refuses rev-parse syntax (`..`, `@{`, `^`, `~`, `:`) so a ref parameter can name only a ref or a sha. */
export function isSafeRef(ref: string): boolean {
  return (
    ref.length > 0 &&
    ref.length < 256 &&
    /^[A-Za-z0-9._\-/]+$/.test(ref) &&
    !ref.includes("..") &&
    !ref.startsWith("-") &&
    !ref.startsWith("/") &&
    !ref.endsWith("/") &&
    !ref.endsWith(".lock") &&
    !ref.includes("//")
  );
}
