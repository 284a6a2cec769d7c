import { isMap, isPair, isScalar, LineCounter, type Node, parseDocument } from "yaml";
import type { z } from "zod";
import type { ConfigProblem } from "./repo-config-error.js";
import { RepoConfigError } from "./repo-config-error.js";
import { DEFAULT_REPO_CONFIG, REPO_CONFIG_PATH, type RepoConfig, repoConfigSchema } from "./repo-config-schema.js";

/**
 * Parses and validates the text of `.github/fixfleet.yml`. `undefined` (no file) and an empty
 * file give the defaults. Throws RepoConfigError naming every bad key with its line and column.
 */
export function parseRepoConfig(text: string | undefined, path = REPO_CONFIG_PATH): RepoConfig {
  if (text === undefined || text.trim() === "") return DEFAULT_REPO_CONFIG;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new RepoConfigError(
      path,
      doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { key: "", line: pos.line, column: pos.col, message: `is not valid YAML: ${firstLine(e.message)}` };
      }),
    );
  }
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  if (value === null || value === undefined) return DEFAULT_REPO_CONFIG;
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new RepoConfigError(path, [
      { key: "", line: 1, column: 1, message: "must be a mapping of keys (enabled, mode, scopes, …)" },
    ]);
  }
  const result = repoConfigSchema.safeParse(value);
  if (result.success) return result.data;
  throw new RepoConfigError(path, describeIssues(result.error, doc.contents, lineCounter));
}

function describeIssues(error: z.ZodError, root: unknown, lines: LineCounter): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const at = keyNode(root, path, key);
        problems.push({
          key: [...path, key].join("."),
          ...position(at, lines),
          message: `is not a setting of ${path.length === 0 ? "fixfleet.yml" : `\`${path.join(".")}\``}`,
        });
      }
      continue;
    }
    const node = valueNode(root, path);
    problems.push({ key: path.join("."), ...position(node, lines), message: issue.message });
  }
  return problems;
}

function position(
  node: Node | undefined,
  lines: LineCounter,
): { line: number | undefined; column: number | undefined } {
  const offset = node?.range?.[0];
  if (offset === undefined) return { line: undefined, column: undefined };
  const pos = lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

/** The node at a path, or the deepest existing ancestor (a missing key is reported at its parent). */
function valueNode(root: unknown, path: string[]): Node | undefined {
  let node = root as Node | undefined;
  for (const segment of path) {
    const next = child(node, segment);
    if (!next) return node;
    node = next;
  }
  return node;
}

function keyNode(root: unknown, path: string[], key: string): Node | undefined {
  const parent = valueNode(root, path);
  if (isMap(parent)) {
    const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
    if (pair && isScalar(pair.key)) return pair.key;
  }
  return parent;
}

function child(node: Node | undefined, segment: string): Node | undefined {
  if (!node || typeof node !== "object") return undefined;
  const n = node as { items?: unknown[] };
  if (isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === segment);
    return (pair?.value ?? undefined) as Node | undefined;
  }
  if (Array.isArray(n.items)) return n.items[Number(segment)] as Node | undefined;
  return undefined;
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}
