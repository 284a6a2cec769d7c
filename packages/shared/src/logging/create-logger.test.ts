import { generateKeyPairSync } from "node:crypto";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./create-logger.js";

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, destination: destination as unknown as NodeJS.WritableStream & { write(s: string): boolean } };
}

describe("createLogger", () => {
  it("never prints a known secret, whether in a field, a message or an error", () => {
    const { lines, destination } = capture();
    const webhookSecret = "whsec-very-secret-value";
    const log = createLogger({ name: "t", secrets: [webhookSecret], destination });
    log.info({ config: { webhookSecret } }, "loaded");
    log.warn(`signature check with ${webhookSecret} failed`);
    log.error({ err: new Error(`boom ${webhookSecret}`) }, "failed");
    const out = lines.join("");
    expect(lines).toHaveLength(3);
    expect(out).not.toContain(webhookSecret);
    expect(out).toContain("[REDACTED]");
  });

  it("redacts tokens, keys and Authorization headers it was never told about", () => {
    const { lines, destination } = capture();
    const log = createLogger({ name: "t", destination });
    const pem = generateKeyPairSync("rsa", { modulusLength: 1024 })
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString();
    const token = `ghs_${"a".repeat(36)}`;
    log.info({ req: { headers: { authorization: "Bearer abc.def.ghi" } } }, "request");
    log.info(`cloning https://x-access-token:${token}@github.com/o/r.git`);
    log.info({ anthropic: { apiKey: "sk-ant-api03-abcdefghijklmnop" } }, "client");
    log.info({ note: `key is ${pem}` }, "pem");
    const out = lines.join("");
    expect(out).not.toContain("abc.def.ghi");
    expect(out).not.toContain(token);
    expect(out).not.toContain("sk-ant-api03-abcdefghijklmnop");
    expect(out).not.toContain("PRIVATE KEY-----\\n");
    expect(out).not.toMatch(/MII[A-Za-z0-9+/]{20}/);
    expect(out).toContain("x-access-token:[REDACTED]@github.com");
  });

  it("writes JSON lines with the logger's name", () => {
    const { lines, destination } = capture();
    createLogger({ name: "ingest", destination }).info({ delivery: "d-1" }, "accepted");
    const line = JSON.parse(lines[0] as string);
    expect(line).toMatchObject({ name: "ingest", msg: "accepted", delivery: "d-1", level: 30 });
  });
});
