import path from "node:path/posix";

/** `dir` + `rel` as a normalized repository path ("." for the root); undefined when it leaves the repository. */
export function joinRepoPath(dir: string, rel: string): string | undefined {
  const joined = path.normalize(path.join(dir === "." ? "" : dir, rel));
  const trimmed = joined.replace(/\/+$/, "");
  if (trimmed === "" || trimmed === ".") return ".";
  if (trimmed.startsWith("../") || trimmed === ".." || trimmed.startsWith("/")) return undefined;
  return trimmed;
}

/** The path of `file` inside directory `dir` ("." = the root). */
export function fileIn(dir: string, file: string): string {
  return dir === "." ? file : `${dir}/${file}`;
}

/** Whether `p` is `dir` or lies beneath it. */
export function isWithin(p: string, dir: string): boolean {
  return dir === "." || p === dir || p.startsWith(`${dir}/`);
}

/** A path as people and tools write it ("./a/b/", "a//b") in the form the index uses ("a/b"). */
export function normalizeEntry(entry: string): string {
  let e = entry
    .trim()
    .replace(/\\/g, "/")
    .replace(/\/{2,}/g, "/");
  while (e.startsWith("./")) e = e.slice(2);
  e = e.replace(/\/+$/, "");
  return e === "" ? "." : e;
}
