import picomatch from "picomatch";
import type { ScopeEntry } from "../config/monorepo-config.js";
import { isWithin } from "../discovery/paths.js";
import type { Ecosystem, Workspace, WorkspacePackage } from "../types.js";

/**
 * What a failure can be mapped to: a discovered package, or a `scopes` entry of the repository's
 * config (which replaces discovery when present).
 */
export interface Unit {
  /** Stable id: `package:<dir>` (`package:<dir>#<ecosystem>` when two ecosystems share a dir) or `scope:<name>`. */
  id: string;
  name: string;
  /** Base directories (for sparse checkout and for reading paths); "." for the whole repository. */
  dirs: string[];
  /** Globs of the files it owns. */
  globs: string[];
  /** Globs inside `globs` that belong to other units (packages nested in this one). */
  exclude: string[];
  ecosystem?: Ecosystem;
  package?: WorkspacePackage;
  configScope?: ScopeEntry;
  /** Ids of units it depends on (direct). */
  dependsOn: string[];
}

export interface UnitIndex {
  units: readonly Unit[];
  byId: ReadonlyMap<string, Unit>;
  /** The units a repository path belongs to (the most specific owner), or [] when none. */
  locate(path: string): Unit[];
  /** Units found by a package name, project name or Go module path. */
  byName: ReadonlyMap<string, Unit[]>;
  /** First path segments of every unit directory: a quick filter for paths read out of logs. */
  firstSegments: ReadonlySet<string>;
  /** Transitive dependencies of a unit, each with the chain of names that leads to it. */
  dependencyChains(id: string): Map<string, string[]>;
}

export function buildUnitIndex(workspace: Workspace, scopes?: readonly ScopeEntry[]): UnitIndex {
  const units = scopes && scopes.length > 0 ? configUnits(workspace, scopes) : packageUnits(workspace);
  const byId = new Map(units.map((u) => [u.id, u]));
  const byName = new Map<string, Unit[]>();
  const addName = (name: string | undefined, unit: Unit) => {
    if (!name) return;
    const list = byName.get(name) ?? [];
    if (!list.includes(unit)) list.push(unit);
    byName.set(name, list);
  };
  for (const unit of units) {
    addName(unit.name, unit);
    addName(unit.package?.nxProject, unit);
  }
  const firstSegments = new Set<string>();
  for (const unit of units) for (const dir of unit.dirs) if (dir !== ".") firstSegments.add(dir.split("/")[0]!);

  const locate = scopes && scopes.length > 0 ? locateByGlobs(units) : locateByDir(units);

  return {
    units,
    byId,
    byName,
    firstSegments,
    locate,
    dependencyChains(id) {
      const chains = new Map<string, string[]>();
      const start = byId.get(id);
      if (!start) return chains;
      const queue: [Unit, string[]][] = [[start, [start.name]]];
      while (queue.length > 0) {
        const [unit, chain] = queue.shift()!;
        for (const depId of unit.dependsOn) {
          const dep = byId.get(depId);
          if (!dep || dep.id === id || chains.has(depId)) continue;
          const next = [...chain, dep.name];
          chains.set(depId, next);
          queue.push([dep, next]);
        }
      }
      return chains;
    },
  };
}

function packageId(pkg: WorkspacePackage, shared: boolean): string {
  return shared ? `package:${pkg.dir}#${pkg.ecosystem}` : `package:${pkg.dir}`;
}

function packageUnits(workspace: Workspace): Unit[] {
  const perDir = new Map<string, number>();
  for (const p of workspace.packages) perDir.set(p.dir, (perDir.get(p.dir) ?? 0) + 1);
  const idOf = (p: WorkspacePackage) => packageId(p, (perDir.get(p.dir) ?? 0) > 1);
  const byName = new Map<string, WorkspacePackage[]>();
  for (const p of workspace.packages) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
  // Packages nested in another package's directory, found by walking each one's ancestors.
  const dirs = new Set(workspace.packages.map((p) => p.dir));
  const nestedIn = new Map<string, string[]>();
  for (const dir of dirs) {
    if (dir === ".") continue;
    let up = dir;
    while (up !== ".") {
      const slash = up.lastIndexOf("/");
      up = slash === -1 ? "." : up.slice(0, slash);
      if (!dirs.has(up)) continue;
      const list = nestedIn.get(up);
      if (list) list.push(dir);
      else nestedIn.set(up, [dir]);
    }
  }
  return workspace.packages.map((pkg) => {
    const nested = nestedIn.get(pkg.dir) ?? [];
    const dependsOn = new Set<string>();
    for (const name of pkg.dependencies) {
      const targets = byName.get(name) ?? [];
      const target = targets.find((t) => t.ecosystem === pkg.ecosystem) ?? targets[0];
      if (target) dependsOn.add(idOf(target));
    }
    return {
      id: idOf(pkg),
      name: pkg.name,
      dirs: [pkg.dir],
      globs: [pkg.dir === "." ? "**" : `${pkg.dir}/**`],
      exclude: nested.map((d) => `${d}/**`),
      ecosystem: pkg.ecosystem,
      package: pkg,
      dependsOn: [...dependsOn],
    };
  });
}

/** Longest directory prefix wins: a file of a package nested in another belongs to the inner one. */
function locateByDir(units: Unit[]): (path: string) => Unit[] {
  const byDir = new Map<string, Unit[]>();
  for (const unit of units) {
    const dir = unit.dirs[0]!;
    byDir.set(dir, [...(byDir.get(dir) ?? []), unit]);
  }
  return (path) => {
    let dir = path.replace(/\/+$/, "");
    for (;;) {
      const hit = byDir.get(dir);
      if (hit) return hit;
      const slash = dir.lastIndexOf("/");
      if (slash === -1) return byDir.get(".") ?? [];
      dir = dir.slice(0, slash);
    }
  };
}

function configUnits(workspace: Workspace, scopes: readonly ScopeEntry[]): Unit[] {
  const units: Unit[] = scopes.map((scope, i) => {
    const bases = [...new Set(scope.paths.map((g) => picomatch.scan(g).base || "."))];
    return {
      id: `scope:${scope.name ?? i + 1}`,
      name: scope.name ?? scope.paths.join(", "),
      dirs: bases,
      globs: [...scope.paths],
      exclude: [],
      configScope: scope,
      dependsOn: [],
    };
  });
  // A scope depends on the scopes holding the packages its own packages depend on.
  const owner = locateByGlobs(units);
  const pkgByName = new Map(workspace.packages.map((p) => [p.name, p]));
  for (const pkg of workspace.packages) {
    const from = owner(pkg.dir);
    for (const dep of pkg.dependencies) {
      const target = pkgByName.get(dep);
      if (!target) continue;
      for (const to of owner(target.dir)) {
        for (const f of from) if (f !== to && !f.dependsOn.includes(to.id)) f.dependsOn.push(to.id);
      }
    }
  }
  return units;
}

/** A path belongs to the scopes whose globs match it (or whose base directory holds it); the most specific wins. */
function locateByGlobs(units: Unit[]): (path: string) => Unit[] {
  const matchers = units.map((u) => ({ unit: u, match: picomatch(u.globs, { dot: true }) }));
  return (path) => {
    let best: Unit[] = [];
    let bestLength = -1;
    for (const { unit, match } of matchers) {
      const base = unit.dirs.find((d) => d !== "." && isWithin(path, d));
      if (!match(path) && !base) continue;
      const length = base?.length ?? 0;
      if (length > bestLength) {
        best = [unit];
        bestLength = length;
      } else if (length === bestLength) best.push(unit);
    }
    return best;
  };
}
