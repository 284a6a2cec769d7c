/**
 * Read access to one revision of a repository. Discovery only reads through this, so the same
 * code runs on a local clone and on a path list + contents fetched from the GitHub API.
 * Paths are repository-relative and posix ("packages/web/package.json").
 */
export interface RepoReader {
  /** The file's text, or undefined when there is no such file. */
  readFile(path: string): Promise<string | undefined>;
  /** Every file path of the revision (dependency and VCS directories left out). */
  listFiles(): Promise<readonly string[]>;
}
