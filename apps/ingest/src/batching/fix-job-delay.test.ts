import { describe, expect, it } from "vitest";
import { fixJobDelay } from "./fix-job-delay.js";

describe("fixJobDelay", () => {
  it("waits the window after the latest report", () => {
    expect(fixJobDelay(1_000, 1_000, 20_000, 120_000)).toBe(20_000);
    expect(fixJobDelay(50_000, 1_000, 20_000, 120_000)).toBe(20_000);
  });

  it("never past the max wait after the first report", () => {
    expect(fixJobDelay(111_000, 1_000, 20_000, 120_000)).toBe(10_000);
    expect(fixJobDelay(121_000, 1_000, 20_000, 120_000)).toBe(0);
    expect(fixJobDelay(500_000, 1_000, 20_000, 120_000)).toBe(0);
  });
});
