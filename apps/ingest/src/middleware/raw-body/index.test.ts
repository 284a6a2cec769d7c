import { createHash } from "node:crypto";
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { describe, expect, it } from "vitest";
import type { IngestEnv } from "../../app/ingest-env.js";
import { parseJson, rawBody } from "./index.js";

function app(limit: number) {
  const a = new Hono<IngestEnv>();
  a.onError((e, c) => (e instanceof HTTPException ? e.getResponse() : c.text("x", 500)));
  a.post("/", rawBody(limit), (c) =>
    c.json({ bytes: c.get("rawBody").length, sha256: createHash("sha256").update(c.get("rawBody")).digest("hex") }),
  );
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
    expect(await res.json()).toEqual({ bytes: 10, sha256: createHash("sha256").update("0123456789").digest("hex") });
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

/** POSTs over a real socket to the app served by @hono/node-server, as in production. */
async function overHttp(limit: number, body: Buffer, headers: Record<string, string>, pieceBytes?: number) {
  const server = createAdaptorServer({ fetch: app(limit).fetch });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  try {
    const { port } = server.address() as AddressInfo;
    return await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest({ port, host: "127.0.0.1", method: "POST", path: "/", headers }, (res) => {
        let text = "";
        res.on("data", (chunk) => {
          text += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on("error", reject);
      // A chunked body is written in pieces; a declared one in one go unless told otherwise.
      const piece = headers["transfer-encoding"] === "chunked" ? 1_000 : pieceBytes;
      if (piece) {
        for (let i = 0; i < body.length; i += piece) req.write(body.subarray(i, i + piece));
        req.end();
      } else req.end(body);
    });
  } finally {
    server.close();
  }
}

describe("rawBody on @hono/node-server", () => {
  it("reads a body of declared length exactly, up to the limit", async () => {
    const body = Buffer.alloc(5_000, 7);
    const res = await overHttp(5_000, body, { "content-length": "5000" });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ bytes: 5_000, sha256: createHash("sha256").update(body).digest("hex") });
  });

  it("refuses a declared length over the limit with 413", async () => {
    const res = await overHttp(5_000, Buffer.alloc(5_001), { "content-length": "5001" });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ error: "payload_too_large" });
  });

  it("counts a chunked body while it streams: within the limit it is read whole, past it 413", async () => {
    const within = await overHttp(5_000, Buffer.alloc(4_500), { "transfer-encoding": "chunked" });
    expect(within.status).toBe(200);
    expect(JSON.parse(within.body)).toMatchObject({ bytes: 4_500 });
    const over = await overHttp(5_000, Buffer.alloc(20_000), { "transfer-encoding": "chunked" });
    expect(over.status).toBe(413);
  });
});

describe("rawBody reading Node's request stream itself", () => {
  it("hands on the exact bytes of a declared-length body that arrives in many pieces", async () => {
    const body = Buffer.from(Array.from({ length: 60_000 }, (_, i) => (i * 31) % 251));
    const res = await overHttp(100_000, body, { "content-length": String(body.length) }, 1_000);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({
      bytes: 60_000,
      sha256: createHash("sha256").update(body).digest("hex"),
    });
  });

  it("gives up on a body whose client goes away before its Content-Length, without calling the handler", async () => {
    let handled = 0;
    const a = new Hono<IngestEnv>();
    let failed: unknown;
    a.onError((e, c) => {
      failed = e;
      return c.text("x", 500);
    });
    a.post("/", rawBody(100_000), (c) => {
      handled += 1;
      return c.json({ bytes: c.get("rawBody").length });
    });
    const server = createAdaptorServer({ fetch: a.fetch });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    try {
      const { port } = server.address() as AddressInfo;
      const socket = connect(port, "127.0.0.1");
      await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
      socket.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n");
      socket.write("x".repeat(100));
      await new Promise((resolve) => setTimeout(resolve, 50));
      socket.destroy();
      await expect.poll(() => failed).toBeInstanceOf(HTTPException);
      expect((failed as HTTPException).status).toBe(400);
      expect(handled).toBe(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
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
