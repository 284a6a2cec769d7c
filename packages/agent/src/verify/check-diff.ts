import type { SandboxDiff } from "../sandbox-port.js";
import type { WritePolicy } from "../scope/write-policy.js";
import { parsePatch } from "./parse-patch.js";
import { isTestPath } from "./test-paths.js";
import { findTestWeakening } from "./test-weakening.js";

export type DiffProblemKind = "empty_diff" | "out_of_scope" | "test_weakened";

export interface DiffProblem {
  kind: DiffProblemKind;
  path?: string;
  detail: string;
}

/**
 * The final diff check, in code: whatever the model did (through the editor or through bash),
 * the change must be non-empty, stay inside the scope and off protected paths, and must not
 * delete a test file, remove test cases or assertions, or switch tests off.
 */
export function checkDiff(diff: SandboxDiff, policy: WritePolicy): DiffProblem[] {
  if (diff.files.length === 0)
    return [{ kind: "empty_diff", detail: "the change is empty: no file differs from the failing commit" }];
  const problems: DiffProblem[] = [];
  for (const file of diff.files) {
    const touched = file.oldPath && file.oldPath !== file.path ? [file.oldPath, file.path] : [file.path];
    for (const path of touched) {
      const verdict = policy.check(path);
      if (!verdict.ok) problems.push({ kind: "out_of_scope", path, detail: verdict.message });
    }
    if (file.status === "deleted" && isTestPath(file.path)) {
      problems.push({ kind: "test_weakened", path: file.path, detail: `deletes the test file ${file.path}` });
    }
    if (file.status === "renamed" && file.oldPath && isTestPath(file.oldPath) && !isTestPath(file.path)) {
      problems.push({
        kind: "test_weakened",
        path: file.oldPath,
        detail: `moves the test file ${file.oldPath} to ${file.path}, where no test runner finds it`,
      });
    }
  }
  for (const filePatch of parsePatch(diff.patch)) {
    if (!isTestPath(filePatch.path)) continue;
    // A deleted file is reported above, once.
    if (diff.files.some((f) => f.path === filePatch.path && f.status === "deleted")) continue;
    for (const w of findTestWeakening(filePatch))
      problems.push({ kind: "test_weakened", path: w.path, detail: `${w.path}: ${w.detail}` });
  }
  return problems;
}
