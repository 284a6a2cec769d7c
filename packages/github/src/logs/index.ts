export { type ExtractedLog, type ExtractLogOptions, extractLog } from "./extract-log.js";
export { FAILURE_MATCHERS, type FailureMatcher, matchFailure } from "./failure-matchers.js";
export type { FailureWindow, LogExcerpt } from "./log-excerpt.js";
export { LogExtractor, type LogExtractorOptions } from "./log-extractor.js";
export { type NormalizedLine, normalizeLine } from "./normalize-line.js";
export { type RenderOptions, renderExcerpt } from "./render-excerpt.js";
export { splitLines } from "./split-lines.js";
