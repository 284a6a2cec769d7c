import { describe, expect, it } from "vitest";
import { createRedactor, redactSecrets } from "./redact-secrets.js";

describe("redactSecrets", () => {
  it("removes credential shapes and keeps the rest of the text", () => {
    const text = [
      "token ghp_0123456789abcdefghijABCDEFGHIJ0123",
      "Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJlLXZhbHVl",
      "x-api-key: sk-ant-api03-xyzxyzxyzxyz",
      "AKIAABCDEFGHIJKLMNOP",
    ].join("\n");
    const out = redactSecrets(text);
    expect(out).not.toMatch(/ghp_|eyJ|sk-ant|AKIA/);
    expect(out.split("\n")[0]).toBe("token [REDACTED]");
  });

  it("removes known values, longest first", () => {
    const redact = createRedactor(["supersecret", "supersecret-and-more", "ab"]);
    expect(redact("x supersecret-and-more y supersecret ab")).toBe("x [REDACTED] y [REDACTED] ab");
  });
});
