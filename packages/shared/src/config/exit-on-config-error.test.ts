import { describe, expect, it } from "vitest";
import { readConfigOrExit } from "./exit-on-config-error.js";
import { readIngestConfig } from "./ingest-config.js";

describe("readConfigOrExit", () => {
  it("prints one line per problem and exits 1", () => {
    const lines: string[] = [];
    const exit = (code: number): never => {
      throw new Error(`exit ${code}`);
    };
    expect(() =>
      readConfigOrExit(() => readIngestConfig({ PORT: "x" }), { stderr: (l) => lines.push(l), exit }),
    ).toThrow("exit 1");
    expect(lines[0]).toMatch(/configuration is invalid/);
    expect(lines.slice(1).map((l) => l.trim().split(":")[0])).toEqual([
      "GITHUB_APP_ID",
      "PORT",
      "GITHUB_WEBHOOK_SECRET",
    ]);
  });
});
