import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { extractLog } from "./extract-log.js";

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../test/fixtures/logs/${name}.log`, import.meta.url)));

// Each fixture is the real output of the tool run on broken code (scripts/make-log-fixtures.sh),
// wrapped in GitHub's job-log format with the runner's own noise around it.
const CASES: Array<{ name: string; must: string[] }> = [
  {
    name: "tsc",
    must: [
      "src/price.ts:3:3 - error TS2322: Type 'string' is not assignable to type 'number'.",
      "src/price.ts:5:14 - error TS2322",
      "Error: Process completed with exit code 2.",
    ],
  },
  {
    name: "eslint",
    must: [
      "4:41  error  'nmae' is not defined",
      "3:9   error  'unused' is assigned a value but never used",
      "✖ 3 problems",
    ],
  },
  {
    name: "vitest",
    must: [
      "FAIL  math.test.js > add > adds two numbers",
      "AssertionError: expected -1 to be 5",
      "Test Files  1 failed",
    ],
  },
  { name: "jest", must: ["● totals the cart", "Expected: 15", "Received: 18", "> 3 |   expect(totalOf"] },
  { name: "node-test", must: ["not ok 1 - slug uses dashes", "+ 'hello_world'", "- 'hello-world'"] },
  {
    name: "pytest",
    must: ["E       KeyError: 'pear'", "E       assert 2 == 3", "FAILED test_inventory.py::test_restock_count"],
  },
  {
    name: "python-traceback",
    must: [
      "Traceback (most recent call last):",
      "line 8, in main",
      "FileNotFoundError: [Errno 2] No such file or directory: 'settings.json'",
    ],
  },
  {
    name: "go-test",
    must: ["--- FAIL: TestDiscount", "shop_test.go:7: Discount(200) = 180, want 170", "FAIL\texample.com/shop"],
  },
  {
    name: "cargo-build",
    must: ["error[E0308]: mismatched types", "--> src/lib.rs:3:5", "expected `u16`, found `u32`"],
  },
  {
    name: "cargo-test",
    must: ["thread 'tests::parses' (16171) panicked at src/lib.rs:8:19:", "left: 81", "test result: FAILED."],
  },
  { name: "maven", must: ["[ERROR] Failed to execute goal org.apache.maven.plugins:maven-resources-plugin"] },
];

describe("extractLog on real tool output in GitHub's log format", () => {
  for (const { name, must } of CASES) {
    it(`finds the failure of ${name} and drops the runner's noise`, async () => {
      const { text, excerpt } = await extractLog([fixture(name)]);
      for (const line of must) expect(text).toContain(line);
      expect(excerpt.windows.length).toBeGreaterThan(0);
      expect(excerpt.keyLines.length).toBeGreaterThan(0);
      // Decorations are gone: no timestamps, escapes, markers or masks.
      expect(text).not.toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/m);
      expect(text).not.toContain("\u001b");
      expect(text).not.toContain("##[");
      expect(text).not.toContain("***");
      // The install noise before the failing step is not the failure.
      expect(text).not.toContain("some-old-package-20");
      expect(text.length).toBeLessThanOrEqual(16_000);
    });
  }

  it("labels a window with the step it failed in", async () => {
    const { excerpt } = await extractLog([fixture("go-test")]);
    expect(excerpt.windows[0]!.step).toBe("Run go test ./...");
  });

  it("finds Gradle's failure shapes", async () => {
    // Gradle is not installed here; these lines are Gradle 8's documented console output.
    const log = [
      "> Task :app:compileJava FAILED",
      "/home/runner/work/app/src/main/java/app/Main.java:5: error: cannot find symbol",
      "    return tax;",
      "           ^",
      "FAILURE: Build failed with an exception.",
      "",
      "* What went wrong:",
      "Execution failed for task ':app:compileJava'.",
      "> Compilation failed; see the compiler error output for details.",
    ].join("\n");
    const { excerpt } = await extractLog([log]);
    expect(excerpt.keyLines).toEqual(
      expect.arrayContaining([
        "> Task :app:compileJava FAILED",
        "* What went wrong:",
        "FAILURE: Build failed with an exception.",
      ]),
    );
  });
});

describe("extractLog redaction", () => {
  it("redacts known secrets, token shapes and GitHub's masks, but not make's ***", async () => {
    const log = [
      "2026-11-29T09:14:02.0370000Z ##[group]Run ./deploy.sh",
      "2026-11-29T09:14:02.0370000Z   API_KEY: ***",
      "2026-11-29T09:14:02.0370000Z ##[endgroup]",
      "2026-11-29T09:14:02.0370000Z using ghs_16C7e42F292c6912E7710c838347Ae178B4a and hunter2-password-value",
      "2026-11-29T09:14:02.0370000Z make: *** [Makefile:3: deploy] Error 1",
      "2026-11-29T09:14:02.0370000Z ##[error]Process completed with exit code 2.",
    ].join("\n");
    const { text } = await extractLog([log], { secrets: ["hunter2-password-value"] });
    expect(text).not.toContain("ghs_16C7");
    expect(text).not.toContain("hunter2-password-value");
    expect(text).toContain("API_KEY: [REDACTED]");
    expect(text).toContain("make: *** [Makefile:3: deploy] Error 1");
  });
});

describe("extractLog budget", () => {
  it("keeps the strongest sections and the tail within the budget when failures abound", async () => {
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) {
      lines.push(`noise line ${i}`);
      if (i % 10 === 0) lines.push(`npm error code E${i}`);
    }
    lines.splice(1500, 0, "src/core.ts:10:5 - error TS2345: Argument of type 'string' is not assignable.");
    lines.push("the very last line");
    const { text, excerpt } = await extractLog([lines.join("\n")], { budgetChars: 4000 });
    expect(text.length).toBeLessThanOrEqual(4000);
    expect(text).toContain("error TS2345");
    expect(text).toContain("the very last line");
    expect(text).toMatch(/weaker failure sections? omitted/);
    expect(excerpt.stats.failureLines).toBe(301);
  });

  it("cuts a single huge line instead of holding it", async () => {
    const huge = "x".repeat(5_000_000);
    const { text, excerpt } = await extractLog([`before\n${huge}\nError: boom\n`]);
    expect(excerpt.stats.linesTruncated).toBe(1);
    expect(text).toContain("Error: boom");
    expect(text.length).toBeLessThan(16_000);
  });
});
