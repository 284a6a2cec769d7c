import type { MonorepoConfig } from "../config/monorepo-config.js";
import { normalizeEntry } from "../discovery/paths.js";
import type { Workspace } from "../types.js";
import type { BatchMapping, ChosenUnit, Evidence, FailureSignals, UnitRole } from "./evidence.js";
import { extractLogPaths } from "./log-paths.js";
import { buildUnitIndex, type Unit, type UnitIndex } from "./units.js";

export interface MapBatchInput {
  workspace: Workspace;
  failures: readonly FailureSignals[];
  /** The pull request's changed files (repository paths), when there is a pull request. */
  changedFiles?: readonly string[];
  config?: Pick<MonorepoConfig, "scopes">;
}

/** At most this many examples per signal go into one unit's evidence; the rest are counted. */
const EXAMPLES = 3;

/**
 * Maps a batch of failures to the units (packages, or config scopes) a fix may touch, each with
 * the evidence for the choice. Failing units come from the reports' own signals; the PR's changed
 * files add the packages a failing package depends on that the PR changed (a change in `shared`
 * that breaks `web`), and decide alone only when no failure names a package.
 */
export function mapBatch(input: MapBatchInput): BatchMapping {
  const scopes = input.config?.scopes;
  const index = buildUnitIndex(input.workspace, scopes);
  const chosen = new Map<string, ChosenUnit>();
  const unmatched: string[] = [];
  const warnings: string[] = [];

  const choose = (unit: Unit, role: UnitRole, evidence: Evidence, failure?: number) => {
    let entry = chosen.get(unit.id);
    if (!entry) {
      entry = {
        id: unit.id,
        name: unit.name,
        dirs: unit.dirs,
        globs: unit.globs,
        exclude: unit.exclude,
        ecosystem: unit.ecosystem,
        role,
        evidence: [],
        package: unit.package,
        configScope: unit.configScope,
        failures: [],
      };
      chosen.set(unit.id, entry);
    }
    if (!entry.evidence.some((e) => e.signal === evidence.signal && e.detail === evidence.detail))
      entry.evidence.push(evidence);
    if (failure !== undefined && !entry.failures.includes(failure)) entry.failures.push(failure);
  };

  input.failures.forEach((failure, i) => {
    const job = failure.job;
    const jobLabel = job ? `job "${job}"` : `report ${i + 1}`;
    const hits = new Map<string, { unit: Unit; evidence: Evidence[] }>();
    const hit = (unit: Unit, evidence: Evidence) => {
      const h = hits.get(unit.id) ?? { unit, evidence: [] };
      h.evidence.push(evidence);
      hits.set(unit.id, h);
    };

    for (const raw of failure.paths ?? []) {
      const path = normalizeEntry(raw);
      const units = index.locate(path);
      if (units.length === 0) unmatched.push(`${jobLabel} lists path "${raw}", which is in no package.`);
      for (const unit of units)
        hit(unit, { signal: "report-paths", detail: `the report of ${jobLabel} lists "${raw}"`, job });
    }
    if (failure.workingDirectory) {
      const dir = normalizeEntry(failure.workingDirectory);
      const units = dir === "." ? [] : index.locate(dir);
      for (const unit of units) hit(unit, { signal: "working-directory", detail: `${jobLabel} runs in ${dir}`, job });
    }
    if (job) {
      for (const unit of unitsInText(index, job))
        hit(unit, { signal: "job-name", detail: `the job is named "${job}"`, job });
    }
    if (failure.command) {
      for (const unit of unitsInText(index, failure.command)) {
        hit(unit, { signal: "command", detail: `${jobLabel} failed running \`${failure.command}\``, job });
      }
    }
    if (failure.log) {
      const perUnit = new Map<string, { unit: Unit; paths: string[] }>();
      for (const path of extractLogPaths(failure.log)) {
        for (const unit of locateLogPath(index, path)) {
          const entry = perUnit.get(unit.id) ?? { unit, paths: [] };
          entry.paths.push(path);
          perUnit.set(unit.id, entry);
        }
      }
      for (const { unit, paths } of perUnit.values()) {
        hit(unit, { signal: "log-path", detail: `the log of ${jobLabel} mentions ${examples(paths)}`, job });
      }
      for (const [unit, name] of namesInLog(index, failure.log)) {
        if (!perUnit.has(unit.id))
          hit(unit, { signal: "log-name", detail: `the log of ${jobLabel} names ${name}`, job });
      }
    }
    // A report's own `paths` narrow the scope (CONTRACT.md §4): other signals only add evidence to them.
    const narrowed =
      (failure.paths?.length ?? 0) > 0 &&
      [...hits.values()].some((h) => h.evidence.some((e) => e.signal === "report-paths"));
    for (const { unit, evidence } of hits.values()) {
      if (narrowed && !evidence.some((e) => e.signal === "report-paths")) continue;
      for (const e of evidence) choose(unit, "failing", e, i);
    }
    if (hits.size === 0 && (failure.job || failure.command || failure.log)) {
      unmatched.push(`nothing in ${jobLabel} (name, command, log) names a package.`);
    }
  });

  // The PR's changed files, by unit.
  const changed = new Map<string, { unit: Unit; files: string[] }>();
  for (const file of input.changedFiles ?? []) {
    for (const unit of index.locate(normalizeEntry(file))) {
      const entry = changed.get(unit.id) ?? { unit, files: [] };
      entry.files.push(file);
      changed.set(unit.id, entry);
    }
  }

  const failing = [...chosen.values()];
  if (failing.length > 0) {
    for (const unit of failing) {
      const own = changed.get(unit.id);
      if (own)
        choose(index.byId.get(unit.id)!, "failing", {
          signal: "changed-files",
          detail: `this PR changes ${examples(own.files)}`,
        });
    }
    for (const unit of failing) {
      for (const [depId, chain] of index.dependencyChains(unit.id)) {
        const change = changed.get(depId);
        if (!change) continue;
        const dep = index.byId.get(depId)!;
        choose(dep, "dependency", {
          signal: "dependency",
          detail: `${unit.name} depends on ${dep.name}${chain.length > 2 ? ` (${chain.join(" → ")})` : ""}, which this PR changes (${examples(change.files)})`,
        });
      }
    }
  } else if (changed.size > 0) {
    warnings.push("No failure named a package; the scope is the packages this pull request changes.");
    for (const { unit, files } of changed.values()) {
      choose(unit, "changed", {
        signal: "changed-files",
        detail: `no failure named a package, and this PR changes ${examples(files)}`,
      });
    }
  }

  if (chosen.size === 0) {
    const only = index.units.length === 1 ? index.units[0] : undefined;
    if (only) {
      choose(only, "fallback", { signal: "fallback", detail: "the repository is one package" });
    } else {
      warnings.push("Nothing in the batch named a package; the scope is the whole repository.");
      chosen.set("repository", {
        id: "repository",
        name: "the whole repository",
        dirs: ["."],
        globs: ["**"],
        exclude: [],
        role: "fallback",
        evidence: [{ signal: "fallback", detail: "no report, job, log or changed file named a package" }],
        failures: input.failures.map((_, i) => i),
      });
    }
  }

  for (const unit of chosen.values()) {
    if (unit.configScope) {
      unit.evidence.unshift({
        signal: "config-scope",
        detail: `scope "${unit.name}" of .github/fixfleet.yml (${unit.globs.map((g) => `\`${g}\``).join(", ")}) replaces discovery`,
      });
    }
  }

  const order: Record<UnitRole, number> = { failing: 0, dependency: 1, changed: 2, fallback: 3 };
  const units = [...chosen.values()].sort((a, b) => order[a.role] - order[b.role] || a.name.localeCompare(b.name));
  return { units, unmatched, warnings };
}

function examples(items: readonly string[]): string {
  const shown = items.slice(0, EXAMPLES).map((i) => `\`${i}\``);
  const more = items.length - EXAMPLES;
  return more > 0 ? `${shown.join(", ")} and ${more} more` : shown.join(", ");
}

/** Units a short text (a job name, a command) names: by directory or by package name, token by token. */
function unitsInText(index: UnitIndex, text: string): Unit[] {
  const found = new Set<Unit>();
  for (const raw of text.split(/[\s()[\]{},;'"`=|&<>]+/)) {
    if (!raw) continue;
    const token = raw
      .replace(/^\.\//, "")
      .replace(/\/\.\.\.$/, "")
      .replace(/\/+$/, "");
    for (const unit of index.byName.get(token) ?? []) found.add(unit);
    if (token.includes("/") && index.firstSegments.has(token.split("/")[0]!)) {
      for (const unit of index.locate(token)) if (!unit.dirs.includes(".")) found.add(unit);
    } else if (index.firstSegments.has(token)) {
      // A one-segment directory ("web" when the package lives in ./web).
      for (const unit of index.locate(token)) if (unit.dirs.includes(token)) found.add(unit);
    }
  }
  return [...found];
}

/**
 * A path read out of a log may be absolute (`/home/runner/work/r/r/packages/web/a.ts`) or
 * relative to a package (`src/a.ts`). The first suffix that starts inside a unit directory wins.
 */
function locateLogPath(index: UnitIndex, path: string): Unit[] {
  const segments = path.split("/").filter((s) => s !== "");
  for (let i = 0; i < segments.length - 1; i++) {
    if (!index.firstSegments.has(segments[i]!)) continue;
    const units = index.locate(segments.slice(i).join("/")).filter((u) => !u.dirs.includes("."));
    if (units.length > 0) return units;
  }
  return [];
}

/**
 * Package names in a log, only where they cannot be ordinary words: scoped npm names and Go
 * module paths as tokens, and any name in backticks or quotes (cargo's "could not compile `x`").
 */
function namesInLog(index: UnitIndex, log: string): [Unit, string][] {
  const text = log.length > 2_000_000 ? log.slice(-2_000_000) : log;
  const out = new Map<string, [Unit, string]>();
  const consider = (name: string) => {
    for (const unit of index.byName.get(name) ?? []) if (!out.has(unit.id)) out.set(unit.id, [unit, `\`${name}\``]);
  };
  for (const m of text.matchAll(/[`'"]([@\w./-]{2,214})[`'"]/g)) consider(m[1]!);
  for (const m of text.matchAll(/(?:^|[\s(])(@[\w.-]+\/[\w.-]+|[\w-]+(?:\.[\w-]+)+\/[\w./-]+)/gm)) consider(m[1]!);
  return [...out.values()];
}
