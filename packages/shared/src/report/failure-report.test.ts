import { describe, expect, it } from "vitest";
import { batchKey, jobIdFor } from "./batch-key.js";
import { describeSchemaErrors, failureReportBodySchema, failureReportSchema } from "./failure-report.js";

const sha = "a".repeat(40);
const full = {
  v: 1,
  run_id: 9876543210,
  run_attempt: 1,
  sha,
  ref: "refs/heads/feature-x",
  pr: 42,
  job: "test (packages/api)",
  command: "npm test -w packages/api",
  paths: ["packages/api"],
};

describe("failure report v1", () => {
  it("accepts the contract's example and a minimal report", () => {
    expect(failureReportSchema.parse(full)).toEqual(full);
    expect(failureReportSchema.parse({ v: 1, run_id: 1, sha })).toEqual({ v: 1, run_id: 1, sha });
  });

  it("fits in a repository_dispatch client_payload (at most 10 top-level properties)", () => {
    expect(Object.keys(failureReportSchema.shape).length).toBeLessThanOrEqual(10);
  });

  it("refuses a report without run_id, naming the field", () => {
    const input = { v: 1, sha };
    const result = failureReportSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(describeSchemaErrors(result.error!, input)).toEqual([{ path: "run_id", message: "is required" }]);
  });

  it("refuses a 39-character sha", () => {
    const input = { v: 1, run_id: 1, sha: "a".repeat(39) };
    const result = failureReportSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(describeSchemaErrors(result.error!, input)[0]).toMatchObject({ path: "sha" });
  });

  it("lists every bad field at once, unknown ones included", () => {
    const input = { v: 2, run_id: -1, sha: "xyz", paths: ["../etc"], extra: 1 };
    const result = failureReportSchema.safeParse(input);
    const paths = describeSchemaErrors(result.error!, input).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(["v", "run_id", "sha", "paths.0", "extra"]));
  });

  it("normalizes an upper-case sha", () => {
    expect(failureReportSchema.parse({ v: 1, run_id: 1, sha: "A".repeat(40) }).sha).toBe(sha);
  });

  it("needs the repository in a POST body", () => {
    expect(failureReportBodySchema.safeParse(full).success).toBe(false);
    expect(failureReportBodySchema.parse({ ...full, repository: "octo/api" }).repository).toBe("octo/api");
    expect(failureReportBodySchema.safeParse({ ...full, repository: "no-slash" }).success).toBe(false);
  });
});

describe("batch keys", () => {
  it("are one per repository and head commit, whatever the case", () => {
    expect(batchKey("Octo/API", sha.toUpperCase())).toBe(batchKey("octo/api", sha));
    expect(batchKey("octo/api", sha)).not.toBe(batchKey("octo/web", sha));
  });

  it("make BullMQ job ids without ':' that are never all digits", () => {
    const id = jobIdFor("batch", "a:b 1");
    expect(id).not.toContain(":");
    expect(id).not.toMatch(/^\d+$/);
    expect(jobIdFor("batch", "x")).not.toBe(jobIdFor("batch", "y"));
  });
});
