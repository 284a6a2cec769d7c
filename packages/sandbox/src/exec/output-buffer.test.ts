import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OutputBuffer } from "./output-buffer.js";

describe("OutputBuffer", () => {
  it("keeps everything under the cap", () => {
    const b = new OutputBuffer(100);
    b.push(Buffer.from("hello "));
    b.push(Buffer.from("world"));
    expect(b.result()).toEqual({ bytes: Buffer.from("hello world"), truncated: false, omittedBytes: 0 });
  });

  it("keeps head and tail of any chunking and counts exactly what it left out", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 3000 }),
        fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 1000 }),
        (data, cuts, cap) => {
          const input = Buffer.from(data);
          const b = new OutputBuffer(cap);
          let at = 0;
          for (let i = 0; at < input.length; i++) {
            const n = cuts[i % cuts.length] as number;
            b.push(input.subarray(at, at + n));
            at += n;
          }
          const { bytes, truncated, omittedBytes } = b.result();
          const head = Math.floor(cap / 2);
          const tail = cap - head;
          if (input.length <= cap) {
            expect(truncated).toBe(false);
            expect(bytes.equals(input)).toBe(true);
            return;
          }
          expect(truncated).toBe(true);
          expect(omittedBytes).toBe(input.length - cap);
          expect(bytes.subarray(0, head).equals(input.subarray(0, head))).toBe(true);
          expect(bytes.subarray(bytes.length - tail).equals(input.subarray(input.length - tail))).toBe(true);
          expect(bytes.toString("latin1")).toContain(`${omittedBytes} bytes of output omitted`);
        },
      ),
    );
  });
});
