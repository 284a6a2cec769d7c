import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { describe, expect, it } from "vitest";
import type { IngestEnv } from "../../app/ingest-env.js";
import { parseJson, rawBody } from "./index.js";

function app(limit: number) {
  const a = new Hono<IngestEnv>();
  a.onError((e, c) => (e instanceof HTTPException ? e.getResponse() : c.text("x", 500)));
  a.post("/", rawBody(limit), (c) => c.json({ bytes: c.get("rawBody").length }));
  return a;
}

/** A body that arrives in chunks and counts how many were pulled. */
function stream(chunks: number, size: number) {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled === chunks) return controller.close();
      pulled += 1;
      controller.enqueue(new Uint8Array(size));
    },
  });
  return { body, pulled: () => pulled };
}

describe("rawBody", () => {
  it("hands the exact bytes on", async () => {
    const res = await app(10).request("/", { method: "POST", body: "0123456789" });
    expect(await res.json()).toEqual({ bytes: 10 });
  });

  it("stops reading a streamed body at the first chunk past the limit", async () => {
    const s = stream(100, 1_000);
    const res = await app(5_500).request("/", { method: "POST", body: s.body, duplex: "half" } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: "payload_too_large" });
    // 6 chunks read (the 6th crossed the limit), 94 never pulled beyond the stream's read-ahead.
    expect(s.pulled()).toBeLessThan(10);
  });
});

describe("parseJson", () => {
  it("refuses invalid UTF-8, empty and truncated bodies with 400", () => {
    for (const bytes of [Uint8Array.from([0x22, 0xff, 0x22]), new Uint8Array(0), Buffer.from('{"a":')]) {
      expect(() => parseJson(bytes)).toThrow(HTTPException);
    }
    expect(parseJson(Buffer.from('{"a":1}'))).toEqual({ a: 1 });
  });
});
