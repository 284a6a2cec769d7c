/**
 * The guard rules, by the name a refusal shows. The model reads the name and the sentence; a
 * reviewer reading the transcript sees which rule held.
 */
export type PathRule =
  | "inside-workspace"
  | "no-symlink-escape"
  | "protected-path"
  | "fix-scope"
  | "git-internals"
  | "read-only-area";

export interface PathRefusal {
  ok: false;
  rule: PathRule;
  message: string;
}

export function refuse(rule: PathRule, message: string): PathRefusal {
  return { ok: false, rule, message: `Refused by rule "${rule}": ${message}` };
}
