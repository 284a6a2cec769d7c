/** What people on a pull request can ask of fixfleet in a comment. */
export type PrCommand = "retry" | "stop" | "explain";

const COMMAND = /^\s*\/fixfleet\s+(retry|stop|explain)\b/im;

/**
 * The command in a comment body, if any: `/fixfleet retry|stop|explain` at the start of a line.
 * Quoted lines (`> /fixfleet stop`) are replies, not commands.
 */
export function parsePrCommand(body: string): PrCommand | undefined {
  const unquoted = body
    .split("\n")
    .filter((line) => !line.trimStart().startsWith(">"))
    .join("\n");
  const match = COMMAND.exec(unquoted);
  return match ? (match[1]?.toLowerCase() as PrCommand) : undefined;
}

/** GitHub's collaborator permission levels that may steer fixfleet. */
export function canSteer(permission: string): boolean {
  return permission === "admin" || permission === "maintain" || permission === "write";
}
