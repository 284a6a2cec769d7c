import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const MB = 1024 * 1024;
const tsx = createRequire(import.meta.url).resolve("tsx");

describe("a 200 MB job log", () => {
  it("streams through a process capped at 96 MB of heap, and its error lines are found", {
    timeout: 180_000,
  }, async () => {
    const child = fileURLToPath(new URL("./extract-large-log.child.ts", import.meta.url));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--max-old-space-size=96", "--expose-gc", "--import", tsx, "--conditions", "source", child, "200"],
      { maxBuffer: 4 * MB },
    );
    const result = JSON.parse(stdout) as { peakRetained: number; bytes: number; text: string };
    expect(result.bytes).toBeGreaterThan(200 * MB);
    expect(result.text).toContain("error TS2339: Property 'userId' does not exist on type 'Request'.");
    expect(result.text).toContain("--- FAIL: TestCheckout (0.02s)");
    expect(result.text).toContain("E       AssertionError: assert 401 == 200");
    expect(result.text).toContain("Error: Process completed with exit code 1.");
    // Holding the log would take over 400 MB (UTF-16); the extractor keeps a few windows and a tail.
    expect(result.peakRetained).toBeLessThan(16 * MB);
  });
});
