import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { extractLog } from "@fixfleet/github";
import { describe, expect, it } from "vitest";
import { run } from "./run.js";

const fixture = fileURLToPath(new URL("../../../packages/github/test/fixtures/logs/pytest.log", import.meta.url));

function capture(stdin = "") {
  let out = "";
  let err = "";
  return {
    io: {
      stdin: Readable.from([stdin]),
      stdout: { write: (t: string) => (out += t) },
      stderr: { write: (t: string) => (err += t) },
    },
    out: () => out,
    err: () => err,
  };
}

describe("fixfleet extract-log", () => {
  it("prints exactly what the worker's extraction gives the model", async () => {
    const c = capture();
    expect(await run(["extract-log", fixture], c.io)).toBe(0);
    const { text } = await extractLog([readFileSync(fixture)]);
    expect(c.out()).toBe(`${text}\n`);
    expect(c.out()).toContain("E       KeyError: 'pear'");
  });

  it("reads stdin with - and honours --budget", async () => {
    const c = capture(readFileSync(fixture, "utf8"));
    expect(await run(["extract-log", "-", "--budget", "1200"], c.io)).toBe(0);
    expect(c.out().length).toBeLessThanOrEqual(1201);
    expect(c.out()).toContain("E       ");
  });

  it("prints the structured excerpt with --json", async () => {
    const c = capture();
    expect(await run(["extract-log", fixture, "--json"], c.io)).toBe(0);
    const json = JSON.parse(c.out());
    expect(json.keyLines).toContain("FAILED test_inventory.py::test_restock_count - assert 2 == 3");
    expect(json.stats.lines).toBeGreaterThan(100);
  });

  it("says what is wrong with the command line and exits 2", async () => {
    const c = capture();
    expect(await run(["extract-log"], c.io)).toBe(2);
    expect(c.err()).toContain("give exactly one log file");
    const d = capture();
    expect(await run(["extract-log", fixture, "--budget", "ten"], d.io)).toBe(2);
    expect(d.err()).toContain('--budget must be a whole number of at least 500, got "ten"');
    const e = capture();
    expect(await run(["nope"], e.io)).toBe(2);
    expect(e.err()).toContain('unknown command "nope"');
  });

  it("exits 1 naming a missing file", async () => {
    const c = capture();
    expect(await run(["extract-log", "/nonexistent/job.log"], c.io)).toBe(1);
    expect(c.err()).toBe("fixfleet extract-log: no such file: /nonexistent/job.log\n");
  });

  it("runs as a program from its entry point", async () => {
    const tsx = createRequire(import.meta.url).resolve("tsx");
    const main = fileURLToPath(new URL("./main.ts", import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [
      "--import",
      tsx,
      "--conditions",
      "source",
      main,
      "extract-log",
      fixture,
    ]);
    expect(stdout).toContain("FAILED test_inventory.py::test_restock_new_item - KeyError: 'pear'");
  });
});
