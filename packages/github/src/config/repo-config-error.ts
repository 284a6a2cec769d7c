import { PermanentError } from "@fixfleet/shared";

export interface ConfigProblem {
  /** Dotted key path, e.g. `limits.turns` or `scopes.0.paths`; empty for the whole file. */
  key: string;
  line: number | undefined;
  column: number | undefined;
  message: string;
}

/**
 * `.github/fixfleet.yml` is invalid: the fix is not attempted, and the comment names each bad
 * key with its line so the owner can correct it.
 */
export class RepoConfigError extends PermanentError {
  readonly problems: ConfigProblem[];
  readonly path: string;

  constructor(path: string, problems: ConfigProblem[]) {
    super(`${path} is invalid: ${problems.map(formatProblem).join("; ")}`, { code: "invalid_repo_config" });
    this.name = "RepoConfigError";
    this.path = path;
    this.problems = problems;
  }
}

export function formatProblem(p: ConfigProblem): string {
  const where = p.line === undefined ? "" : `line ${p.line}${p.column === undefined ? "" : `, column ${p.column}`}: `;
  return `${where}${p.key ? `\`${p.key}\` ` : ""}${p.message}`;
}
