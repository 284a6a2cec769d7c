import { execFileSync } from "node:child_process";
import { mkdtempSync, openSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createLogger } from "@fixfleet/shared";
import { describe, expect, it } from "vitest";
import { bufferedLogDestination } from "./buffered-log-destination.js";

const lines = (path: string) => readFileSync(path, "utf8").split("\n").filter(Boolean);

describe("bufferedLogDestination", () => {
  it("holds a few lines back, then writes them within the flush interval", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "ingest-log-")), "out.log");
    // A descriptor, as stdout is in production.
    const logger = createLogger({
      name: "t",
      destination: bufferedLogDestination({ dest: openSync(path, "a"), flushMs: 100 }),
    });
    for (let i = 0; i < 3; i += 1) logger.info({ i }, "request");
    expect(lines(path)).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(lines(path).map((l) => JSON.parse(l).i)).toEqual([0, 1, 2]);
  });

  it("writes what it holds when the process exits", () => {
    const path = join(mkdtempSync(join(tmpdir(), "ingest-log-")), "out.log");
    const module = fileURLToPath(new URL("./buffered-log-destination.ts", import.meta.url));
    const script = `
      const { bufferedLogDestination } = await import(${JSON.stringify(module)});
      const { pino } = await import("pino");
      const logger = pino(bufferedLogDestination({ dest: (await import("node:fs")).openSync(${JSON.stringify(path)}, "a"), flushMs: 60000 }));
      for (let i = 0; i < 5; i += 1) logger.info({ i }, "line");
      process.exit(0);
    `;
    execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: fileURLToPath(new URL(".", import.meta.url)),
    });
    expect(lines(path).map((l) => JSON.parse(l).i)).toEqual([0, 1, 2, 3, 4]);
  });
});
