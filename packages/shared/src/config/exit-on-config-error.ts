import { ConfigError } from "./config-error.js";

/**
 * Reads a process's config at start. A bad start prints one line per problem to stderr and
 * exits 1: an operator fixes all of them in one go instead of one restart per variable.
 */
export function readConfigOrExit<T>(
  read: () => T,
  io: { stderr: (line: string) => void; exit: (code: number) => never } = {
    stderr: (line) => process.stderr.write(`${line}\n`),
    exit: (code) => process.exit(code),
  },
): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr("fixfleet: cannot start, the configuration is invalid:");
    for (const problem of error.problems) io.stderr(`  ${problem}`);
    return io.exit(1);
  }
}
