import { createRedactor } from "@fixfleet/shared";
import { describe, expect, it } from "vitest";
import { normaliseCommands } from "../failure-input.js";
import { capText } from "../tools/cap-text.js";
import { renderFailureContext } from "./failure-context.js";
import { systemPrompt } from "./system-prompt.js";

describe("the prompt", () => {
  it("states the procedure and where the full logs are", () => {
    const prompt = systemPrompt({ workspace: "/workspace", logsDir: "/tmp/fixfleet/logs" });
    expect(prompt).toContain("/tmp/fixfleet/logs/");
    expect(prompt).toMatch(/Reproduce it/);
    expect(prompt).toMatch(/smallest correct change/);
    expect(prompt).toMatch(/Never weaken, skip, delete/);
    expect(prompt).toMatch(/flaky[\s\S]*infrastructural/);
  });

  it("renders jobs, commands, scope, changed files and config, redacted and with safe fences", () => {
    const token = "ghs_0123456789abcdefghijklmnopqrstuvwxyz";
    const failure = {
      repository: "acme/acme",
      pr: 3,
      jobs: [{ name: "test", logExcerpt: `boom \`\`\` fence\ntoken ${token}` }],
      commands: ["npm test", { command: "npm test", cwd: "." }, { command: "go test ./...", cwd: "svc" }],
      scope: {
        units: [{ name: "web", dirs: ["packages/web"], verify: [{ command: "npm test -w web" }] }],
        rootFiles: "read-only",
      },
      changedFiles: ["packages/web/a.ts"],
      repoConfig: { mode: "branch" },
    };
    const text = renderFailureContext(failure, {
      workspace: "/workspace",
      logsDir: "/tmp/fixfleet/logs",
      logFiles: new Map([["test", "/tmp/fixfleet/logs/test.log"]]),
      commands: normaliseCommands(failure.commands),
      protectedPaths: [".github/workflows/**"],
      maxExcerptChars: 10_000,
      redact: createRedactor([token]),
    });
    expect(text).not.toContain(token);
    expect(text).toContain("Full log: /tmp/fixfleet/logs/test.log");
    expect(text).toContain("````\nboom ``` fence");
    expect(text.match(/`npm test`/g)).toHaveLength(1);
    expect(text).toContain("`go test ./...` (in svc)");
    expect(text).toContain("- web: packages/web; verified with `npm test -w web`");
    expect(text).toContain("read-only");
    expect(text).toContain("- packages/web/a.ts");
    expect(text).toContain("mode: branch");
  });

  it("caps text keeping head and tail within the limit", () => {
    const { text, cut } = capText(`HEAD${"x".repeat(100_000)}TAIL`, 2_000);
    expect(cut).toBe(true);
    expect(text.length).toBeLessThanOrEqual(2_000);
    expect(text.startsWith("HEAD")).toBe(true);
    expect(text.endsWith("TAIL")).toBe(true);
  });
});
