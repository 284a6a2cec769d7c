import { describe, expect, it } from "vitest";
import { canSteer, parsePrCommand } from "./parse-pr-command.js";

describe("commands from the pull request", () => {
  it("reads /fixfleet retry, stop and explain at the start of a line", () => {
    expect(parsePrCommand("/fixfleet retry")).toBe("retry");
    expect(parsePrCommand("Thanks!\n/fixfleet STOP please")).toBe("stop");
    expect(parsePrCommand("  /fixfleet explain")).toBe("explain");
  });

  it("ignores quotes, mentions inside sentences and unknown verbs", () => {
    expect(parsePrCommand("> /fixfleet stop\nagreed")).toBeUndefined();
    expect(parsePrCommand("please run /fixfleet retry")).toBeUndefined();
    expect(parsePrCommand("/fixfleet deploy")).toBeUndefined();
  });

  it("lets only write access steer", () => {
    expect(["admin", "maintain", "write"].every(canSteer)).toBe(true);
    expect(["triage", "read", "none"].some(canSteer)).toBe(false);
  });
});
