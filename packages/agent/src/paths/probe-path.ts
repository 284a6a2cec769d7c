import type { AgentSandbox } from "../sandbox-port.js";

export type FileKind = "file" | "directory" | "other" | "missing";

export interface PathProbe {
  /** The path with every symlink resolved, as the container's kernel would follow it. */
  real: string;
  kind: FileKind;
  size: number;
  /** Permission bits, e.g. 0o644. */
  mode: number;
}

// One exec (each costs a round trip to the engine): resolve the path, then stat what it leads to.
// GNU `realpath -m` resolves every symlink of the existing part and keeps the rest, so a file
// about to be created is checked through its parent directories; images without GNU coreutils
// fall back to `readlink -f` (all but the last component must exist).
const SCRIPT = [
  'r=$(realpath -m -- "$1" 2>/dev/null || readlink -f -- "$1") || exit 3',
  'printf "%s\\n" "$r"',
  'if [ -e "$r" ]; then stat -L -c "%F|%s|%a" -- "$r"; else echo missing; fi',
].join("\n");

export async function probePath(sandbox: AgentSandbox, abs: string): Promise<PathProbe | undefined> {
  const r = await sandbox.exec(["sh", "-c", SCRIPT, "sh", abs], { timeoutMs: 15_000, maxOutputBytes: 16_384 });
  const [real = "", info = ""] = r.stdout.split("\n");
  if (r.exitCode !== 0 || !real.startsWith("/")) return undefined;
  if (info === "missing") return { real, kind: "missing", size: 0, mode: 0 };
  const [type = "", size = "0", mode = "644"] = info.split("|");
  const kind: FileKind = type.startsWith("regular") ? "file" : type === "directory" ? "directory" : "other";
  return { real, kind, size: Number(size), mode: Number.parseInt(mode, 8) };
}
