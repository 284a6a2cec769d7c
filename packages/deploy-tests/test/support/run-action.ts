import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const ACTION_DIR = resolve(import.meta.dirname, "../../../../action");

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** What the step wrote to $GITHUB_OUTPUT, as key/value pairs. */
  outputs: Record<string, string>;
  summary: string;
  durationMs: number;
}

/**
 * Runs the action's script as the composite step does: a fresh `node` process whose environment
 * is only what a runner gives it (the GITHUB_* variables, the event payload file) and the inputs.
 */
export async function runAction(options: {
  event: unknown;
  env: Record<string, string>;
  inputs?: Record<string, string>;
}): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), "fixfleet-action-"));
  const eventPath = join(dir, "event.json");
  const outputPath = join(dir, "output");
  const summaryPath = join(dir, "summary.md");
  writeFileSync(eventPath, JSON.stringify(options.event));
  writeFileSync(outputPath, "");
  writeFileSync(summaryPath, "");
  const inputEnv = Object.fromEntries(
    Object.entries(options.inputs ?? {}).map(([k, v]) => [`INPUT_${k.toUpperCase().replace(/-/g, "_")}`, v]),
  );
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_ACTION_PATH: ACTION_DIR,
    FIXFLEET_BACKOFF_MS: "20",
    ...options.env,
    ...inputEnv,
  };
  const started = Date.now();
  const child = spawn(process.execPath, [join(ACTION_DIR, "send-report.mjs")], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const code = await new Promise<number | null>((done) => child.on("close", (c) => done(c)));
  const outputs = Object.fromEntries(
    readFileSync(outputPath, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => line.split("=", 2) as [string, string]),
  );
  return {
    code,
    stdout,
    stderr,
    outputs,
    summary: readFileSync(summaryPath, "utf8"),
    durationMs: Date.now() - started,
  };
}
