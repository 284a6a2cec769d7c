import { describe, expect, it } from "vitest";
import { isJsonMediaType } from "./index.js";

describe("isJsonMediaType", () => {
  it.each([
    ["application/json", true],
    ["application/json; charset=utf-8", true],
    ["Application/JSON", true],
    ["application/vnd.github+json", true],
    ["text/plain", false],
    ["application/x-www-form-urlencoded", false],
    ["application/jsonp", false],
    ["", false],
    [undefined, false],
  ])("%s → %s", (type, expected) => {
    expect(isJsonMediaType(type)).toBe(expected);
  });
});
