import type { DockerSandbox } from "@fixfleet/sandbox";

export type Reproduction = { kind: "reproduced"; output: string } | { kind: "flaky"; summary: string; output: string };

/**
 * Runs the failing commands before any model call. A failure that passes twice in a row here
 * is flaky or environmental: spending tokens on it would "fix" nothing (or weaken a test).
 */
export async function reproduceFailure(
  sandbox: DockerSandbox,
  commands: readonly { command: string; cwd: string }[],
  options: { redact: (s: string) => string; timeoutMs: number },
): Promise<Reproduction> {
  let output = "";
  for (let run = 1; run <= 2; run++) {
    for (const c of commands) {
      const r = await sandbox.exec(["sh", "-c", c.command], {
        cwd: c.cwd === "." ? sandbox.workdir : `${sandbox.workdir}/${c.cwd}`,
        timeoutMs: options.timeoutMs,
        maxOutputBytes: 256 * 1024,
      });
      const text = options.redact(`$ ${c.command}\n${r.stdout}${r.stderr}`);
      if (r.exitCode !== 0 || r.timedOut) return { kind: "reproduced", output: text.slice(-20_000) };
      output = text;
    }
  }
  return {
    kind: "flaky",
    summary: `${commands.map((c) => `\`${c.command}\``).join(", ")} passed twice in the sandbox`,
    output: output.slice(-4_000),
  };
}
