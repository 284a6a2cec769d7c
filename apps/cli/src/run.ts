import type { CommandIo } from "./commands/command-io.js";
import { extractLogCommand } from "./commands/extract-log.js";
import { UsageError } from "./commands/usage-error.js";

const COMMANDS: Record<string, (args: string[], io: CommandIo) => Promise<number>> = {
  "extract-log": extractLogCommand,
};

export const USAGE = `Usage: fixfleet <command> [options]

Commands:
  extract-log <file>   print what fixfleet's model would see of a CI job log

Run "fixfleet <command> --help" for a command's options.`;

/** Runs one command line; returns the exit code (0 ok, 1 failed, 2 wrong usage). */
export async function run(argv: string[], io: CommandIo): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`fixfleet: unknown command "${name}"\n\n${USAGE}\n`);
    return 2;
  }
  try {
    return await command(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`fixfleet ${name}: ${error.message}\n\n${error.usage}\n`);
      return 2;
    }
    const err = error as NodeJS.ErrnoException;
    const reason = err.code === "ENOENT" ? `no such file: ${err.path}` : err.message || String(error);
    io.stderr.write(`fixfleet ${name}: ${reason}\n`);
    return 1;
  }
}
