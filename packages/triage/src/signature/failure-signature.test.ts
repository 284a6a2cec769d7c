import { describe, expect, it } from "vitest";
import { failureSignature } from "./failure-signature.js";

const runA = `2026-11-29T10:00:01.1234567Z FAIL  test/sum.test.ts > sum > adds
2026-11-29T10:00:01.1234567Z AssertionError: expected -1 to be 3 // Object.is equality
2026-11-29T10:00:01.1234567Z  ❯ /home/runner/work/app/app/test/sum.test.ts:5:21
2026-11-29T10:00:01.1234567Z Test Files  1 failed (1)
2026-11-29T10:00:01.1234567Z Duration  412ms`;

const runB = `2026-11-30T08:12:44.0000001Z Test Files  1 failed (1)
2026-11-30T08:12:44.0000001Z FAIL  test/sum.test.ts > sum > adds
2026-11-30T08:12:44.0000001Z AssertionError: expected -1 to be 3 // Object.is equality
2026-11-30T08:12:44.0000001Z  ❯ /tmp/build-8f3a/app/test/sum.test.ts:5:21
2026-11-30T08:12:44.0000001Z Duration  1.2s`;

describe("failureSignature", () => {
  it("is the same for the same failure on another run, day, machine and order", () => {
    expect(failureSignature([runA]).hash).toBe(failureSignature([runB]).hash);
  });

  it("differs for another failure", () => {
    const other = runA.replace("expected -1 to be 3", "expected 'a' to be 'b'");
    expect(failureSignature([other]).hash).not.toBe(failureSignature([runA]).hash);
  });

  it("ignores commit shas and uuids in error lines", () => {
    const a = failureSignature([
      "error: object 3f786850e387550fdab836ed7e6dc881de23001b not found (req 8d4e0a3c-1111-4a5b-9c9d-000000000001)",
    ]);
    const b = failureSignature([
      "error: object 89e6c98d92887913cadf06b2adb97f26cde4849b not found (req 0b5c2d7e-2222-4a5b-9c9d-000000000002)",
    ]);
    expect(a.hash).toBe(b.hash);
    expect(a.hash).toMatch(/^[0-9a-f]{16}$/);
  });
});
