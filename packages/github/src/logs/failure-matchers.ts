/**
 * A line shape that marks a failure in the output of a common tool. `weight` ranks windows when
 * the size budget cannot hold them all: a compiler error or a failed assertion says more about
 * the cause than a summary line or a generic "exit code 1".
 */
export interface FailureMatcher {
  tool: string;
  pattern: RegExp;
  weight: number;
  /** Lines of context to keep after the match (before is the same for all). */
  after?: number;
}

export const FAILURE_MATCHERS: readonly FailureMatcher[] = [
  // GitHub's own error annotation and the runner's exit code line.
  { tool: "github", pattern: /^Error: Process completed with exit code [1-9]\d*/, weight: 1, after: 0 },
  { tool: "github", pattern: /^Error: (?!Process completed with exit code)/, weight: 6 },
  // tsc, in both the pretty and the plain format.
  { tool: "tsc", pattern: /^[^\s:][^:]*:\d+:\d+ - error TS\d+:/, weight: 9, after: 4 },
  { tool: "tsc", pattern: /^[^\s(][^(]*\(\d+,\d+\): error TS\d+:/, weight: 9, after: 2 },
  // eslint's stylish formatter: "  4:41  error  'nmae' is not defined  no-undef".
  { tool: "eslint", pattern: /^\s+\d+:\d+\s+error\s+\S/, weight: 8, after: 1 },
  { tool: "eslint", pattern: /^✖ \d+ problems? \(\d+ errors?/, weight: 3, after: 0 },
  // vitest and jest.
  { tool: "vitest", pattern: /^\s*FAIL\s+\S/, weight: 8, after: 12 },
  { tool: "vitest", pattern: /^\s*×\s+\S/, weight: 5, after: 0 },
  {
    tool: "vitest",
    pattern: /^\s*(?:AssertionError|TypeError|ReferenceError|SyntaxError|RangeError)(?: \[\w+\])?: /,
    weight: 7,
    after: 12,
  },
  { tool: "jest", pattern: /^\s*● (?!Console)\S/, weight: 8, after: 16 },
  { tool: "jest", pattern: /^\s*✕\s+\S/, weight: 5, after: 0 },
  { tool: "vitest", pattern: /^\s*(?:Test Files|Tests|Test Suites):\s+.*\bfailed\b/, weight: 2, after: 1 },
  // node:test, TAP and spec reporters.
  { tool: "node:test", pattern: /^\s*not ok \d+ - /, weight: 8, after: 18 },
  { tool: "node:test", pattern: /^\s*✖ (?!\d+ problems?)\S/, weight: 6, after: 10 },
  { tool: "node:test", pattern: /^# fail [1-9]/, weight: 2, after: 0 },
  // pytest.
  { tool: "pytest", pattern: /^={3,} (?:FAILURES|ERRORS) ={3,}$/, weight: 4, after: 2 },
  { tool: "pytest", pattern: /^_{3,} \S.* _{3,}$/, weight: 7, after: 10 },
  { tool: "pytest", pattern: /^E\s{2,}\S/, weight: 9, after: 2 },
  { tool: "pytest", pattern: /^(?:FAILED|ERROR) \S+/, weight: 6, after: 0 },
  { tool: "pytest", pattern: /^={3,} .*\b\d+ (?:failed|errors?)\b.* ={3,}$/, weight: 2, after: 0 },
  // Python tracebacks: the header, each frame and the exception line merge into one window.
  { tool: "python", pattern: /^Traceback \(most recent call last\):/, weight: 8, after: 4 },
  { tool: "python", pattern: /^\s+File ".+", line \d+/, weight: 3, after: 2 },
  { tool: "python", pattern: /^[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt)(?::|$)/, weight: 9, after: 1 },
  // go test and the go compiler.
  { tool: "go", pattern: /^\s*--- FAIL: /, weight: 9, after: 6 },
  { tool: "go", pattern: /^FAIL\s+\S+\s/, weight: 3, after: 0 },
  { tool: "go", pattern: /^panic: /, weight: 9, after: 12 },
  { tool: "go", pattern: /^(?:\.\/)?\S+\.go:\d+:\d+: /, weight: 8, after: 1 },
  // cargo / rustc.
  { tool: "cargo", pattern: /^error(?:\[E\d+\])?: /, weight: 8, after: 14 },
  { tool: "cargo", pattern: /^---- \S+ stdout ----$/, weight: 8, after: 6 },
  { tool: "cargo", pattern: /^thread '.*' (?:\(\d+\) )?panicked at /, weight: 9, after: 4 },
  { tool: "cargo", pattern: /^test \S+ \.\.\. FAILED$/, weight: 4, after: 0 },
  { tool: "cargo", pattern: /^test result: FAILED\./, weight: 2, after: 0 },
  // Maven, Gradle and javac / kotlinc.
  { tool: "maven", pattern: /^\[ERROR\] \S/, weight: 6, after: 1 },
  { tool: "maven", pattern: /^\[INFO\] BUILD FAILURE/, weight: 2, after: 0 },
  { tool: "gradle", pattern: /^FAILURE: Build failed/, weight: 5, after: 8 },
  { tool: "gradle", pattern: /^> Task \S+ FAILED$/, weight: 5, after: 0 },
  { tool: "gradle", pattern: /^\* What went wrong:/, weight: 7, after: 6 },
  { tool: "javac", pattern: /^\S+\.(?:java|kt|scala):\d+(?::\d+)?: (?:error|e):? /, weight: 8, after: 3 },
  { tool: "kotlin", pattern: /^e: (?:file:\/\/)?\S+\.kts?:/, weight: 8, after: 2 },
  // npm and make, which wrap the tool that really failed.
  { tool: "npm", pattern: /^npm (?:ERR!|error) (?:code|Lifecycle|command failed|\S+@\S+)/, weight: 2, after: 0 },
  { tool: "make", pattern: /^make(?:\[\d+\])?: \*\*\* .*Error \d+/, weight: 2, after: 0 },
];

// One anchored alternation tested first: almost every line of a large log matches nothing, and
// one pass that only looks at the line's start is far cheaper than forty unanchored ones.
const ANY = new RegExp(`^(?:${FAILURE_MATCHERS.map((m) => `(?:${m.pattern.source.replace(/^\^/, "")})`).join("|")})`);

// Every matcher's line contains one of these words or starts with one of these marks. A scan for
// a handful of literals rejects the bulk of a log far faster than the matchers themselves.
const MAYBE =
  /error|err!|fail|panic|not ok|traceback|file "|exception|exit|interrupt|wrong|[✖×●✕]|^(?:e\s\s|e: |_{3}|={3}|---- )/i;

export function matchFailure(text: string): FailureMatcher | undefined {
  if (!MAYBE.test(text) || !ANY.test(text)) return undefined;
  let best: FailureMatcher | undefined;
  for (const m of FAILURE_MATCHERS) {
    if (m.pattern.test(text) && (!best || m.weight > best.weight)) best = m;
  }
  return best;
}
