/**
 * What changes between two runs of the same failure and must not change its signature:
 * timestamps, durations, absolute paths and line:column positions, hex ids and addresses,
 * uuids, temp dir names, ports, counts.
 */
const RULES: ReadonlyArray<[RegExp, string]> = [
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes start with ESC.
  [/\x1b\[[0-9;]*[A-Za-z]/g, ""],
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g, "<time>"],
  [/\b\d{1,2}:\d{2}:\d{2}(?:\.\d+)?\b/g, "<time>"],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<uuid>"],
  [/\b0x[0-9a-f]+\b/gi, "<hex>"],
  [/\b[0-9a-f]{12,64}\b/gi, "<hex>"],
  [/(?:\/tmp|\/var\/folders|[A-Za-z]:\\Users\\[^\\]+\\AppData\\Local\\Temp)[^\s:'"]*/g, "<tmp>"],
  // Absolute paths keep their last two segments: the file matters, the checkout dir does not.
  [/(?:\/[\w.@+-]+)+\/([\w.@+-]+\/[\w.@+-]+)/g, "$1"],
  [/([\w.-]+\.\w+)[:(](\d+)(?:[:,](\d+))?\)?/g, "$1:<pos>"],
  [/\b\d+(?:\.\d+)?\s?(?:ms|s|sec|seconds|m|min|minutes)\b/gi, "<duration>"],
  [/:\d{2,5}\b/g, ":<port>"],
  [/\b\d+\b/g, "<n>"],
  [/\s+/g, " "],
];

export function normalizeErrorLine(line: string): string {
  let out = line;
  for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
  return out.trim();
}
