import type { AgentSandbox } from "../sandbox-port.js";

/**
 * `bash_20250124` promises a persistent shell: a `cd` or an `export` in one call holds in the
 * next. The sandbox runs one short exec per command (no long-lived shell to hijack or leak), so
 * the session is emulated: each command starts in the directory and with the exported variables
 * the previous one left, saved by an EXIT trap into a directory outside the repository.
 * `restart` forgets them.
 */
export class BashSession {
  private shell: string | undefined;

  constructor(
    private readonly sandbox: AgentSandbox,
    private readonly workspace: string,
    private readonly stateDir: string,
  ) {}

  /** bash where the image has it (the tool is "bash"), else the POSIX shell. */
  async shellPath(): Promise<string> {
    if (this.shell) return this.shell;
    const r = await this.sandbox.exec(["sh", "-c", "command -v bash || true"], {
      timeoutMs: 15_000,
      maxOutputBytes: 4096,
    });
    this.shell = r.stdout.trim().startsWith("/") ? r.stdout.trim() : "/bin/sh";
    return this.shell;
  }

  async restart(): Promise<void> {
    await this.sandbox.exec(["rm", "-rf", "--", this.stateDir], { timeoutMs: 15_000, maxOutputBytes: 4096 });
  }

  /** The script that runs `command` inside the emulated session. */
  script(command: string): string {
    const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    return [
      `__fixfleet_state=${q(this.stateDir)}`,
      'mkdir -p "$__fixfleet_state" 2>/dev/null',
      'if [ -f "$__fixfleet_state/env" ]; then . "$__fixfleet_state/env" >/dev/null 2>&1; fi',
      `cd "$(cat "$__fixfleet_state/cwd" 2>/dev/null || echo ${q(this.workspace)})" 2>/dev/null || cd ${q(this.workspace)}`,
      '__fixfleet_save() { __fixfleet_rc=$?; pwd > "$__fixfleet_state/cwd" 2>/dev/null; export -p > "$__fixfleet_state/env" 2>/dev/null; exit $__fixfleet_rc; }',
      "trap __fixfleet_save EXIT",
      command,
    ].join("\n");
  }
}
