import picomatch from "picomatch";

/** Where test suites live across the ecosystems fixfleet works with. */
export const TEST_PATH_GLOBS: readonly string[] = [
  "**/__tests__/**",
  "**/*.{test,spec}.*",
  "**/{test,tests,spec,specs,e2e,__snapshots__}/**",
  "**/*_test.{go,py,rb,exs,ts,js}",
  "**/test_*.py",
  "**/conftest.py",
  "**/*{Test,Tests,IT,Spec}.{java,kt,scala,cs,swift,groovy}",
  "**/*_spec.rb",
  "**/*.snap",
];

const isTest = picomatch(TEST_PATH_GLOBS as string[], { dot: true });

export function isTestPath(path: string): boolean {
  return isTest(path);
}
