import { PermanentError } from "@fixfleet/shared";
import type { RepoHandle } from "../context/repo-ref.js";
import { fullName } from "../context/repo-ref.js";
import { classifyGitHubError } from "../errors/classify-github-error.js";
import type { FileChange, GitFileMode } from "./file-change.js";

export interface PublishCommitInput {
  /** The failing commit: the new commit's only parent. */
  baseSha: string;
  changes: readonly FileChange[];
  message: string;
  branch: string;
  /** Move an existing branch even when not a fast-forward (our own fixfleet/ branches). */
  force?: boolean;
}

export interface PublishedCommit {
  branch: string;
  commitSha: string;
  treeSha: string;
  /** created: new branch; moved: an existing branch now points here; unchanged: it already did. */
  ref: "created" | "moved" | "unchanged";
}

type TreeEntry = { path: string; mode: GitFileMode; type: "blob"; sha: string | null };

/**
 * Commits a fix through the Git Data API (blobs, a tree on the base commit's tree, a commit whose
 * parent is the failing sha, the branch ref), so GitHub records and verifies it as the App's.
 * Idempotent: if the branch already holds a commit with the same parent and tree, nothing is
 * written; a retried publish leaves one branch state.
 */
export async function publishCommit(handle: RepoHandle, input: PublishCommitInput): Promise<PublishedCommit> {
  const { octokit, owner, repo } = handle;
  const step = async <T>(doing: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw classifyGitHubError(error, `${doing} in ${fullName(handle)}`);
    }
  };
  if (input.changes.length === 0) {
    throw new PermanentError("publishCommit: a fix without changes has nothing to commit", { code: "empty_fix" });
  }

  const base = await step(
    `reading commit ${input.baseSha.slice(0, 7)}`,
    async () => (await octokit.rest.git.getCommit({ owner, repo, commit_sha: input.baseSha })).data,
  );

  const entries: TreeEntry[] = [];
  for (const change of input.changes) {
    if (change.kind === "delete") {
      entries.push({ path: change.path, mode: "100644", type: "blob", sha: null });
    } else if (change.kind === "chmod") {
      const existing = await step(`finding ${change.path}`, () => blobAt(handle, base.tree.sha, change.path));
      if (!existing) throw new PermanentError(`cannot change the mode of ${change.path}: it is not in the base commit`);
      entries.push({ path: change.path, mode: change.mode, type: "blob", sha: existing });
    } else {
      const content = typeof change.content === "string" ? Buffer.from(change.content) : Buffer.from(change.content);
      const blob = await step(
        `uploading ${change.path}`,
        async () =>
          (await octokit.rest.git.createBlob({ owner, repo, content: content.toString("base64"), encoding: "base64" }))
            .data,
      );
      entries.push({ path: change.path, mode: change.mode ?? "100644", type: "blob", sha: blob.sha });
    }
  }

  const tree = await step(
    "writing the tree",
    async () => (await octokit.rest.git.createTree({ owner, repo, base_tree: base.tree.sha, tree: entries })).data,
  );

  const ref = `heads/${input.branch}`;
  const current = await step(`reading branch ${input.branch}`, async () => {
    try {
      return (await octokit.rest.git.getRef({ owner, repo, ref })).data.object.sha;
    } catch (error) {
      if ((error as { status?: number }).status === 404) return undefined;
      throw error;
    }
  });
  if (current) {
    const existing = await step(
      "reading the branch's commit",
      async () => (await octokit.rest.git.getCommit({ owner, repo, commit_sha: current })).data,
    );
    const parents = existing.parents.map((p) => p.sha);
    if (existing.tree.sha === tree.sha && parents.length === 1 && parents[0] === input.baseSha) {
      return { branch: input.branch, commitSha: current, treeSha: tree.sha, ref: "unchanged" };
    }
  }

  const commit = await step(
    "writing the commit",
    async () =>
      (
        await octokit.rest.git.createCommit({
          owner,
          repo,
          message: input.message,
          tree: tree.sha,
          parents: [input.baseSha],
        })
      ).data,
  );
  const force = input.force ?? true;
  if (!current) {
    const created = await step(`creating branch ${input.branch}`, async () => {
      try {
        await octokit.rest.git.createRef({ owner, repo, ref: `refs/${ref}`, sha: commit.sha });
        return true;
      } catch (error) {
        // Someone (an earlier attempt of this job) created it meanwhile: move it instead.
        if ((error as { status?: number }).status === 422) return false;
        throw error;
      }
    });
    if (created) return { branch: input.branch, commitSha: commit.sha, treeSha: tree.sha, ref: "created" };
  }
  await step(`moving branch ${input.branch}`, () =>
    octokit.rest.git.updateRef({ owner, repo, ref, sha: commit.sha, force }),
  );
  return { branch: input.branch, commitSha: commit.sha, treeSha: tree.sha, ref: "moved" };
}

/** The blob sha at a path of a tree, walking one directory level per call (no recursive listing of a huge repo). */
async function blobAt(handle: RepoHandle, treeSha: string, path: string): Promise<string | undefined> {
  const parts = path.split("/");
  let sha = treeSha;
  for (let i = 0; i < parts.length; i++) {
    const { data } = await handle.octokit.rest.git.getTree({ owner: handle.owner, repo: handle.repo, tree_sha: sha });
    const entry = data.tree.find((e) => e.path === parts[i]);
    if (!entry?.sha) return undefined;
    if (i === parts.length - 1) return entry.type === "blob" ? entry.sha : undefined;
    if (entry.type !== "tree") return undefined;
    sha = entry.sha;
  }
  return undefined;
}
