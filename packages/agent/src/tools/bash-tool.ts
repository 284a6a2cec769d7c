import { z } from "zod";
import type { BashSession } from "./bash-session.js";
import { capText } from "./cap-text.js";
import type { ToolContext, ToolOutcome } from "./tool-context.js";
import { ToolError } from "./tool-error.js";

export const BASH_NAME = "bash";

const inputSchema = z.union([z.looseObject({ restart: z.literal(true) }), z.looseObject({ command: z.string() })]);

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10}s`;
}

/** Runs one `bash` tool call in the sandbox: the command budget, the idle timeout and the output caps apply. */
export async function runBash(ctx: ToolContext, session: BashSession, rawInput: unknown): Promise<ToolOutcome> {
  const parsed = inputSchema.safeParse(rawInput);
  if (!parsed.success) throw new ToolError('Invalid input for bash: give {"command": "..."} or {"restart": true}.');
  const input = parsed.data;
  if ("restart" in input && input.restart === true && !("command" in input && input.command)) {
    await session.restart();
    return {
      content: "The bash session has been restarted (working directory and exported variables reset).",
      isError: false,
    };
  }
  const command = "command" in input ? String(input.command) : "";
  if (command.trim() === "") throw new ToolError("The command is empty.");
  const timeoutMs = ctx.meter.commandTimeoutMs();
  const shell = await session.shellPath();
  // The idle timeout only matters when it is shorter than the command's own timeout.
  const idleTimeoutMs = ctx.idleTimeoutMs < timeoutMs ? ctx.idleTimeoutMs : undefined;
  const r = await ctx.sandbox.exec([shell, "-c", session.script(command)], {
    env: ctx.env,
    timeoutMs,
    ...(idleTimeoutMs ? { idleTimeoutMs } : {}),
    maxOutputBytes: ctx.maxCommandOutputBytes,
  });
  const parts: string[] = [];
  if (r.stdout) parts.push(r.stdout.replace(/\n$/, ""));
  if (r.stderr) parts.push(`[stderr]\n${r.stderr.replace(/\n$/, "")}`);
  const notes: string[] = [];
  if (r.timedOut) {
    notes.push(
      `The command timed out after ${seconds(timeoutMs)} and was stopped (with everything it started). Run a narrower command (one test file, a filter) or put a shorter timeout on it.`,
    );
  } else if (r.idleTimedOut && idleTimeoutMs) {
    notes.push(
      `The command printed nothing for ${seconds(idleTimeoutMs)} and was stopped. It may be waiting for input (stdin is empty) or a watch mode; run it non-interactively.`,
    );
  }
  if (r.oomKilled) notes.push("The sandbox ran out of memory while this command ran (a process was OOM-killed).");
  if (r.pidsLimitHit) notes.push("The command hit the sandbox's process limit.");
  if (r.truncated) {
    notes.push(
      `The output was cut (${r.omittedBytes.stdout + r.omittedBytes.stderr} bytes omitted). Redirect it to a file outside the repository (e.g. > /tmp/out.txt) and grep it.`,
    );
  }
  notes.push(r.exitCode === null ? "[no exit code: the command was killed]" : `[exit code ${r.exitCode}]`);
  const output = ctx.redact(parts.join("\n"));
  const tail = `\n${notes.join("\n")}`;
  const capped = capText(
    output,
    Math.max(1000, ctx.maxResultChars - tail.length),
    "Redirect the output to a file outside the repository and grep it.",
  );
  // A command that fails is a result, not a tool error; one we had to stop is an error.
  return { content: (capped.text + tail).replace(/^\n/, ""), isError: r.timedOut || r.idleTimedOut === true };
}
