import picomatch from "picomatch";
import type { DiscoveryContext } from "./discovery-context.js";
import { fileIn, normalizeEntry } from "./paths.js";
import type { ManifestName } from "./repo-index.js";

export interface MemberQuery {
  /** The entries as written (globs; a leading `!` negates). Non-strings are reported and skipped. */
  entries: readonly unknown[];
  /** Extra exclusions (Cargo/uv `exclude`), globs without `!`. */
  exclude?: readonly unknown[];
  /** The directory the entries are relative to. */
  baseDir: string;
  /** The manifest a member directory must hold. */
  manifest: ManifestName;
  /** The file that lists the entries, for messages. */
  file: string;
  /** How the file calls the list, for messages ("workspaces", "members"). */
  field: string;
}

export interface MemberExpansion {
  dirs: string[];
  /** Members named outright (no glob) that exist: toolchains refuse to load a workspace without them. */
  explicitDirs: string[];
}

/**
 * Expands workspace entries against the directories that hold the manifest. Problems an author
 * would want to know about (an entry that matches nothing, one listed twice, a non-string) become
 * warnings; expansion itself never fails.
 */
export function expandMembers(ctx: DiscoveryContext, query: MemberQuery): MemberExpansion {
  const base = query.baseDir;
  const prefix = base === "." ? "" : `${base}/`;
  const candidates: string[] = [];
  for (const dir of ctx.index.dirsWith(query.manifest)) {
    if (dir === base) continue;
    if (prefix === "" || dir.startsWith(prefix)) candidates.push(dir.slice(prefix.length));
  }

  const seen = new Set<string>();
  const positives: { entry: string; match: (p: string) => boolean; isGlob: boolean }[] = [];
  const negatives: ((p: string) => boolean)[] = [];
  const addNegative = (raw: string) => {
    const glob = normalizeEntry(raw);
    const m = compile(ctx, query, glob);
    if (m) negatives.push(m, compile(ctx, query, `${glob}/**`) ?? (() => false));
  };
  for (const raw of query.entries) {
    if (typeof raw !== "string" || raw.trim() === "") {
      ctx.warn(
        "invalid-entry",
        query.file,
        `${query.field} in ${query.file} has an entry that is not a path: ${JSON.stringify(raw)}; it was skipped.`,
      );
      continue;
    }
    if (seen.has(raw.trim())) {
      ctx.warn(
        "duplicate-entry",
        query.file,
        `"${raw}" is listed twice in ${query.field} of ${query.file}; it counts once.`,
      );
      continue;
    }
    seen.add(raw.trim());
    if (raw.trim().startsWith("!")) {
      addNegative(raw.trim().slice(1));
      continue;
    }
    const entry = normalizeEntry(raw);
    if (entry.startsWith("/") || entry.split("/").includes("..")) {
      ctx.warn(
        "invalid-entry",
        query.file,
        `"${raw}" in ${query.field} of ${query.file} points outside the repository; it was skipped.`,
      );
      continue;
    }
    const match = compile(ctx, query, entry);
    if (match) positives.push({ entry, match, isGlob: picomatch.scan(entry).isGlob });
  }
  for (const raw of query.exclude ?? []) {
    if (typeof raw === "string" && raw.trim() !== "") addNegative(raw.trim());
  }

  const dirs = new Set<string>();
  const explicitDirs: string[] = [];
  for (const positive of positives) {
    let matched = 0;
    for (const candidate of candidates) {
      if (!positive.match(candidate)) continue;
      matched++;
      if (!negatives.some((n) => n(candidate))) dirs.add(prefix + candidate);
    }
    if (!positive.isGlob) {
      const full = prefix + positive.entry;
      if (matched > 0) explicitDirs.push(full);
      else {
        const exists = ctx.index.dirs.has(full);
        ctx.warn(
          "missing-manifest",
          query.file,
          exists
            ? `"${positive.entry}" in ${query.field} of ${query.file} has no ${query.manifest} (${fileIn(full, query.manifest)}); it is not a package.`
            : `"${positive.entry}" in ${query.field} of ${query.file} does not exist in the repository.`,
        );
      }
    } else if (matched === 0) {
      ctx.warn(
        "entry-matches-nothing",
        query.file,
        `"${positive.entry}" in ${query.field} of ${query.file} matches no directory with a ${query.manifest}.`,
      );
    }
  }
  return { dirs: [...dirs].sort(), explicitDirs };
}

function compile(ctx: DiscoveryContext, query: MemberQuery, glob: string): ((p: string) => boolean) | undefined {
  try {
    return picomatch(glob, { dot: false });
  } catch (error) {
    ctx.warn(
      "invalid-entry",
      query.file,
      `"${glob}" in ${query.field} of ${query.file} is not a valid glob (${(error as Error).message}); it was skipped.`,
    );
    return undefined;
  }
}
