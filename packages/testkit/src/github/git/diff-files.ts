import type { BareRepository } from "./bare-repository.js";
import { runGit } from "./run-git.js";

export interface ChangedFile {
  filename: string;
  previousFilename?: string;
  status: "added" | "removed" | "modified" | "renamed" | "copied" | "changed";
  sha: string;
  additions: number;
  deletions: number;
  /** Unified diff hunks (from the first `@@`), absent for binary files, as GitHub's `patch`. */
  patch?: string;
}

const STATUS: Record<string, ChangedFile["status"]> = {
  A: "added",
  D: "removed",
  M: "modified",
  R: "renamed",
  C: "copied",
  T: "changed",
};

/** The files changed between two commits, computed by git the way a pull request's "Files changed" is. */
export async function diffFiles(repo: BareRepository, base: string, head: string): Promise<ChangedFile[]> {
  const raw = (await runGit(repo.gitDir, ["diff-tree", "-r", "-z", "-M", "--raw", "--numstat", base, head])).stdout
    .toString("utf8")
    .split("\0");
  const files: ChangedFile[] = [];
  let i = 0;
  // --raw records come first (":old new oldsha newsha S\0path[\0path2]"), then --numstat records.
  while (i < raw.length && raw[i]!.startsWith(":")) {
    const [, , oldSha, newSha, code] = raw[i]!.slice(1).split(" ");
    const letter = code![0]!;
    const file: ChangedFile = {
      filename: "",
      status: STATUS[letter] ?? "modified",
      sha: letter === "D" ? oldSha! : newSha!,
      additions: 0,
      deletions: 0,
    };
    if (letter === "R" || letter === "C") {
      file.previousFilename = raw[i + 1]!;
      file.filename = raw[i + 2]!;
      i += 3;
    } else {
      file.filename = raw[i + 1]!;
      i += 2;
    }
    files.push(file);
  }
  for (const file of files) {
    const record = raw[i] ?? "";
    const [added, deleted, path] = record.split("\t");
    if (path === "") i += 3;
    else i += 1;
    if (added !== "-") {
      file.additions = Number(added) || 0;
      file.deletions = Number(deleted) || 0;
    }
  }
  const patchText = (
    await runGit(repo.gitDir, ["diff", "-M", "--no-color", "--no-ext-diff", base, head])
  ).stdout.toString("utf8");
  const sections = patchText.split(/^diff --git .*$/m).slice(1);
  sections.forEach((section, index) => {
    const file = files[index];
    if (!file) return;
    const start = section.indexOf("\n@@");
    if (start !== -1) file.patch = section.slice(start + 1).replace(/\n$/, "");
  });
  return files;
}
