import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { createLogger } from "../logging/create-logger.js";
import { onShutdownSignals } from "./on-shutdown-signals.js";

function fakeProcess() {
  const events = new EventEmitter();
  const exits: number[] = [];
  return {
    proc: { on: events.on.bind(events), exit: (code?: number) => void exits.push(code ?? 0) } as never,
    emit: (signal: string) => events.emit(signal),
    exits,
  };
}

const logger = createLogger({ name: "test", level: "silent" });
const tick = () => new Promise((r) => setTimeout(r, 10));

describe("shutdown on SIGTERM / SIGINT", () => {
  it("stops once however many signals come, then exits 0", async () => {
    const p = fakeProcess();
    const seen: string[] = [];
    onShutdownSignals(logger, async (signal) => void seen.push(signal), p.proc);
    p.emit("SIGTERM");
    p.emit("SIGINT");
    await tick();
    expect(seen).toEqual(["SIGTERM"]);
    expect(p.exits).toEqual([0]);
  });

  it("exits 1 when stopping fails", async () => {
    const p = fakeProcess();
    onShutdownSignals(
      logger,
      async () => {
        throw new Error("redis would not close");
      },
      p.proc,
    );
    p.emit("SIGINT");
    await tick();
    expect(p.exits).toEqual([1]);
  });
});
