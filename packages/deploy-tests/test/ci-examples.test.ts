// biome-ignore-all lint/suspicious/noExplicitAny: workflow files are untyped YAML trees.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { repoConfigSchema } from "@fixfleet/github";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ACTION_DIR } from "./support/run-action.js";

const ROOT = resolve(import.meta.dirname, "../../..");
const action = parse(readFileSync(join(ACTION_DIR, "action.yml"), "utf8")) as any;
const script = readFileSync(join(ACTION_DIR, "send-report.mjs"), "utf8");

describe("the composite action", () => {
  it("passes every input to the script, and the script reads every one it is given", () => {
    const step = action.runs.steps[0];
    expect(action.runs.using).toBe("composite");
    for (const name of Object.keys(action.inputs)) {
      const variable = `INPUT_${name.toUpperCase().replace(/-/g, "_")}`;
      expect(step.env[variable], variable).toBe(`\${{ inputs.${name} }}`);
      expect(script, variable).toContain(`env.${variable}`);
    }
    expect(Object.keys(step.env)).toHaveLength(Object.keys(action.inputs).length);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template.
    expect(action.outputs.sent.value).toBe("${{ steps.send.outputs.sent }}");
  });

  /** Runs the step's shell as the runner does (`bash -e {0}`), inputs substituted. */
  function runStep(path: string, inputs: Record<string, string>) {
    const step = action.runs.steps[0];
    const dir = mkdtempSync(join(tmpdir(), "fixfleet-step-"));
    const file = join(dir, "step.sh");
    writeFileSync(file, step.run);
    writeFileSync(join(dir, "output"), "");
    const env: Record<string, string> = {
      PATH: path,
      GITHUB_ACTION_PATH: ACTION_DIR,
      GITHUB_OUTPUT: join(dir, "output"),
    };
    for (const [variable, expression] of Object.entries(step.env as Record<string, string>)) {
      const name = /inputs\.([a-z-]+)/.exec(expression)?.[1] as string;
      env[variable] = inputs[name] ?? String(action.inputs[name].default ?? "");
    }
    const bash = execFileSync("sh", ["-c", "command -v bash"], { encoding: "utf8" }).trim();
    const result = spawnSync(bash, ["--noprofile", "--norc", "-eo", "pipefail", file], { env, encoding: "utf8" });
    return { ...result, output: readFileSync(join(dir, "output"), "utf8") };
  }

  it("keeps the job green when node is not installed", () => {
    const result = runStep("/nonexistent", { endpoint: "http://127.0.0.1:9" });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("node is not installed");
    expect(result.output).toBe("sent=false\n");
  });

  it("keeps the job green when the script itself crashes", () => {
    const fakeBin = mkdtempSync(join(tmpdir(), "fixfleet-bin-"));
    writeFileSync(join(fakeBin, "node"), "#!/bin/sh\necho boom >&2\nexit 3\n", { mode: 0o755 });
    const result = runStep(fakeBin, {});
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("the report script crashed");
  });

  it("runs the script from the action's folder with the inputs", () => {
    const result = runStep(`${resolve(process.execPath, "..")}:/usr/bin:/bin`, {
      endpoint: "http://127.0.0.1:9",
      retries: "0",
    });
    expect(result.status).toBe(0);
    // No runner variables here, so the script explains why it did not send.
    expect(result.stdout).toContain("not reporting");
    expect(result.output).toBe("sent=false\n");
  });
});

describe("example workflows", () => {
  const dir = join(ROOT, "examples/workflows");
  const files = readdirSync(dir).filter((f) => f.endsWith(".yml"));

  it.each(files)("%s reports only failures, with the permission its mode needs", (file) => {
    const workflow = parse(readFileSync(join(dir, file), "utf8")) as any;
    const uses = Object.entries(workflow.jobs as Record<string, any>).flatMap(([id, job]) =>
      (job.steps as any[])
        .filter((s) => typeof s.uses === "string" && s.uses.endsWith("/fixfleet/action@v1"))
        .map((step) => ({ id, job, step })),
    );
    expect(uses.length, file).toBeGreaterThan(0);
    for (const { job, step } of uses) {
      const condition = `${step.if ?? ""} ${job.if ?? ""}`;
      expect(condition).toMatch(/failure\(\)|conclusion == 'failure'/);
      for (const input of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs)).toContain(input);
      const permissions = job.permissions ?? workflow.permissions ?? {};
      if (step.with?.endpoint) expect(permissions["id-token"]).toBe("write");
      else expect(permissions.contents).toBe("write");
    }
  });
});

describe("examples/fixfleet.yml", () => {
  it("is a valid repository config", () => {
    const parsed = repoConfigSchema.safeParse(parse(readFileSync(join(ROOT, "examples/fixfleet.yml"), "utf8")));
    expect(parsed.error?.issues ?? []).toEqual([]);
  });
});
