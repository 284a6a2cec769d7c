import type { AgentSandbox } from "../sandbox-port.js";

export type FileKind = "file" | "directory" | "other" | "missing";

export interface FileStat {
  kind: FileKind;
  size: number;
  /** Permission bits, e.g. 0o644. */
  mode: number;
}

/** `stat` inside the container, following symlinks (the guard has already resolved them). */
export async function statPath(sandbox: AgentSandbox, abs: string): Promise<FileStat> {
  const r = await sandbox.exec(
    ["sh", "-c", 'if [ -e "$1" ]; then stat -L -c "%F|%s|%a" -- "$1"; else echo missing; fi', "sh", abs],
    { timeoutMs: 15_000, maxOutputBytes: 4096 },
  );
  const out = r.stdout.trim();
  if (out === "missing" || r.exitCode !== 0) return { kind: "missing", size: 0, mode: 0 };
  const [type = "", size = "0", mode = "644"] = out.split("|");
  const kind: FileKind = type.startsWith("regular") ? "file" : type === "directory" ? "directory" : "other";
  return { kind, size: Number(size), mode: Number.parseInt(mode, 8) };
}
