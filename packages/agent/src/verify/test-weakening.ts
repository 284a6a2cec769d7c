import type { FilePatch } from "./parse-patch.js";

/** A test case's declaration, in the frameworks fixfleet meets most. */
const TEST_CASE = [
  /^\s*(?:it|test|specify|describe|context|suite)(?:\.(?:each|concurrent|sequential)(?:\s*\(.*?\)|`[^`]*`)?)?\s*\(/, // JS/TS
  /^\s*(?:async\s+)?def\s+test\w*\s*\(/, // Python
  /^\s*func\s+(?:Test|Fuzz|Example)\w*\s*\(/, // Go
  /^\s*#\[(?:\w+::)*test\b/, // Rust
  /^\s*@(?:Test|ParameterizedTest|RepeatedTest|TestFactory)\b/, // JUnit
  /^\s*\[(?:Test|Fact|Theory|TestMethod|TestCase)\b/, // .NET
  /^\s*(?:it|test|describe|context|scenario)\s+["']/, // RSpec, minitest, ExUnit
];

/** Markers that switch a test off, or make every other test stop running. */
const SKIP_MARKER = [
  /\b(?:it|test|describe|context|suite|specify)\.(?:skip|todo|only|skipIf|runIf|fails)\b/,
  /\b(?:xit|xtest|xdescribe|xcontext|fit|fdescribe)\s*\(/,
  /@pytest\.mark\.(?:skip|skipif|xfail)\b/,
  /\bpytest\.(?:skip|xfail)\s*\(/,
  /@unittest\.(?:skip|skipIf|skipUnless|expectedFailure)\b/,
  /\bt\.Skip(?:f|Now)?\s*\(/,
  /#\[ignore\b/,
  /@(?:Disabled|Ignore)\b/,
  /\[(?:Ignore|Skip)\b/,
  /\bskip\s*\(\s*["']/,
];

const ASSERTION =
  /\b(?:expect|assert\w*|should|require\.\w+|t\.(?:Error|Errorf|Fatal|Fatalf|Fail)|XCTAssert\w*)\s*[(.!]|^\s*assert\b/;

const count = (lines: readonly string[], patterns: readonly RegExp[] | RegExp) =>
  lines.filter((line) => (Array.isArray(patterns) ? patterns : [patterns]).some((p) => p.test(line))).length;

export interface Weakening {
  path: string;
  detail: string;
}

/**
 * What a diff does to the tests of one test file: removing test cases, adding skip/only
 * markers, removing assertions. Counted net (removed − added), so rewriting a test in place
 * or moving an assertion to another line is not a weakening; dropping one is.
 */
export function findTestWeakening(file: FilePatch): Weakening[] {
  const found: Weakening[] = [];
  const removedCases = count(file.removed, TEST_CASE) - count(file.added, TEST_CASE);
  if (removedCases > 0) found.push({ path: file.path, detail: `removes ${removedCases} test case(s)` });
  const skips = count(file.added, SKIP_MARKER) - count(file.removed, SKIP_MARKER);
  if (skips > 0) found.push({ path: file.path, detail: `adds ${skips} skip/only marker(s)` });
  const assertions = count(file.removed, ASSERTION) - count(file.added, ASSERTION);
  if (assertions > 0) found.push({ path: file.path, detail: `removes ${assertions} assertion(s)` });
  return found;
}
