import { PermanentError } from "../errors/permanent-error.js";

/** The process cannot start: one line per missing or bad variable. */
export class ConfigError extends PermanentError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p}`).join("\n")}`, {
      code: "config",
    });
    this.name = "ConfigError";
    this.problems = problems;
  }
}
