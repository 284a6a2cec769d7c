import type { AgentSandbox } from "../sandbox-port.js";

// GNU `realpath -m` resolves every symlink of the existing part of the path and keeps the rest,
// so a file about to be created is checked through its parent directories. Images without GNU
// coreutils fall back to `readlink -f` (all but the last component must exist).
const SCRIPT = 'realpath -m -- "$1" 2>/dev/null || readlink -f -- "$1"';

/** The path with every symlink resolved, as the container's kernel would follow it. */
export async function realPath(sandbox: AgentSandbox, abs: string): Promise<string | undefined> {
  const r = await sandbox.exec(["sh", "-c", SCRIPT, "sh", abs], { timeoutMs: 15_000, maxOutputBytes: 16_384 });
  const out = r.stdout.trim();
  if (r.exitCode !== 0 || !out.startsWith("/")) return undefined;
  return out;
}
