/** How much of a log is read for paths: failures print their cause near the end. */
const MAX_LOG_CHARS = 2_000_000;

const PATH_TOKEN = /[\w@.+~-]*(?:\/[\w@.+~-]+)+/g;

/**
 * Repository-looking paths in a log: tokens with a slash, with `:line:col` and URLs dropped,
 * in order of first appearance.
 */
export function extractLogPaths(log: string): string[] {
  const text = log.length > MAX_LOG_CHARS ? log.slice(-MAX_LOG_CHARS) : log;
  const out = new Set<string>();
  for (const match of text.matchAll(PATH_TOKEN)) {
    const start = match.index;
    const before = start > 0 ? text[start - 1] : "";
    // Part of a URL ("https://…") or of a longer path the regex split.
    if (before === "/" || before === ":" || text.startsWith("//", start + match[0].length)) continue;
    const token = match[0].replace(/^\.\//, "").replace(/[.]+$/, "");
    if (token.includes("node_modules/") || token.startsWith("@types/")) continue;
    if (token.split("/").some((s) => s === "..")) continue;
    out.add(token.replace(/^\/+/, ""));
  }
  return [...out];
}
