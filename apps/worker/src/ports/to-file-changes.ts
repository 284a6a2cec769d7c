import type { FileChange, GitFileMode } from "@fixfleet/github";
import type { ChangedFileContent } from "./fix-context.js";

const MODES = new Set<GitFileMode>(["100644", "100755", "120000"]);

/** The sandbox's diff as Git Data API changes: writes (with their mode), deletions, renames, chmods. */
export function toFileChanges(files: readonly ChangedFileContent[]): FileChange[] {
  const changes: FileChange[] = [];
  for (const file of files) {
    const mode = file.newMode && MODES.has(file.newMode as GitFileMode) ? (file.newMode as GitFileMode) : undefined;
    if (file.status === "deleted") {
      changes.push({ kind: "delete", path: file.path });
      continue;
    }
    if (file.status === "renamed" && file.oldPath) changes.push({ kind: "delete", path: file.oldPath });
    if (file.contentBase64 === undefined) {
      if (mode === "100644" || mode === "100755") changes.push({ kind: "chmod", path: file.path, mode });
      continue;
    }
    const content = Buffer.from(file.contentBase64, "base64");
    changes.push({
      kind: "write",
      path: file.path,
      content: mode === "120000" ? content.toString("utf8") : content,
      ...(mode ? { mode } : {}),
    });
  }
  return changes;
}
