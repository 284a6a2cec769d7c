import { describe, expect, it } from "vitest";
import { coalesceCalls } from "./coalesce-calls.js";

const nextRound = () => new Promise((resolve) => setImmediate(resolve));

describe("coalesceCalls", () => {
  it("runs the calls of one event-loop round together and answers each with its own output", async () => {
    const runs: number[][] = [];
    const double = coalesceCalls(
      async (inputs: number[]) => {
        runs.push(inputs);
        return inputs.map((n) => n * 2);
      },
      { max: 100 },
    );
    const answers = await Promise.all([double(1), double(2), double(3)]);
    expect(answers).toEqual([2, 4, 6]);
    expect(runs).toEqual([[1, 2, 3]]);

    await double(4);
    expect(runs).toEqual([[1, 2, 3], [4]]);
  });

  it("starts a run as soon as max inputs wait, and the rest of the round in the next", async () => {
    const runs: number[][] = [];
    const same = coalesceCalls(
      async (inputs: number[]) => {
        runs.push(inputs);
        return inputs;
      },
      { max: 2 },
    );
    expect(await Promise.all([same(1), same(2), same(3), same(4), same(5)])).toEqual([1, 2, 3, 4, 5]);
    expect(runs).toEqual([[1, 2], [3, 4], [5]]);
  });

  it("fails every call of a run that fails, and the next round runs afresh", async () => {
    let fail = true;
    const flaky = coalesceCalls(
      async (inputs: string[]) => {
        if (fail) throw new Error("Redis went away");
        return inputs;
      },
      { max: 100 },
    );
    const first = await Promise.allSettled([flaky("a"), flaky("b")]);
    expect(first.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect((first[0] as PromiseRejectedResult).reason.message).toBe("Redis went away");
    fail = false;
    await nextRound();
    expect(await flaky("c")).toBe("c");
  });

  it("fails every call when a run answers a different number of outputs than inputs", async () => {
    const short = coalesceCalls(async (inputs: number[]) => inputs.slice(1), { max: 100 });
    const results = await Promise.allSettled([short(1), short(2)]);
    expect(results.every((r) => r.status === "rejected")).toBe(true);
    expect((results[0] as PromiseRejectedResult).reason.message).toMatch(/answered 1 of 2/);
  });
});
