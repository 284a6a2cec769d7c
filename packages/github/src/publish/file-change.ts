export type GitFileMode = "100644" | "100755" | "120000";

/** One change of a fix, as the Git Data API can express it. */
export type FileChange =
  /** An edited or added file (a symlink when mode is 120000: content is the target). */
  | { kind: "write"; path: string; content: string | Uint8Array; mode?: GitFileMode }
  | { kind: "delete"; path: string }
  /** Only the mode changes (chmod +x); the content stays what the base commit has. */
  | { kind: "chmod"; path: string; mode: "100644" | "100755" };
