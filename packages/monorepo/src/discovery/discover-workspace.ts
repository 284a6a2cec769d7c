import type { RepoReader } from "../reader/repo-reader.js";
import type { Ecosystem, Workspace, WorkspacePackage, WorkspaceTool } from "../types.js";
import { discoverCargo } from "./discover-cargo.js";
import { discoverGo } from "./discover-go.js";
import { discoverNode } from "./discover-node.js";
import { discoverPython } from "./discover-python.js";
import { createDiscoveryContext, type DiscoveryContext } from "./discovery-context.js";
import { fileIn } from "./paths.js";
import type { EcosystemResult, RawPackage } from "./raw-package.js";
import { indexRepository } from "./repo-index.js";
import { isToolchainFile, TOOLCHAIN_DIRS } from "./toolchain-files.js";

/** How deep workspaces inside workspaces are followed (a guard against pathological repositories). */
const MAX_NESTING = 3;

const DISCOVERERS = [discoverNode, discoverCargo, discoverGo, discoverPython] as const;

/**
 * The packages of one revision of a repository, from its own files. Never throws on the
 * repository's content: what cannot be used is reported in `warnings`. A repository that
 * declares no workspace is one package at ".".
 */
export async function discoverWorkspace(reader: RepoReader): Promise<Workspace> {
  const index = await indexRepository(reader);
  const ctx = createDiscoveryContext(reader, index);
  const packages: RawPackage[] = [];
  const seen = new Set<string>();
  const tools = new Set<WorkspaceTool>();
  const requiredDirs = new Set<string>();
  const roots = new Set<string>(["."]);

  const add = (pkg: RawPackage) => {
    const key = `${pkg.ecosystem}:${pkg.dir}`;
    if (seen.has(key)) return;
    seen.add(key);
    packages.push(pkg);
  };

  async function visit(root: string, depth: number): Promise<void> {
    const results = await Promise.all(DISCOVERERS.map((discover) => discover(ctx, root)));
    const declared = results.filter((r) => r.declared);
    if (root === "." && declared.length === 0) {
      add(singleRootPackage(ctx, results));
      tools.add("single");
      return;
    }
    const before = packages.length;
    for (const result of declared) {
      for (const tool of result.tools) tools.add(tool);
      for (const dir of result.requiredDirs) requiredDirs.add(dir);
      for (const pkg of result.packages) add(pkg);
    }
    if (root !== "." && packages.length > before) {
      ctx.warn(
        "nested-workspace",
        fileIn(root, declaredFile(results)),
        `${root} declares its own workspace (${declared.flatMap((r) => r.tools).join(", ")}); its ${packages.length - before} package(s) are included and their commands run from ${root}.`,
      );
    }
    if (depth >= MAX_NESTING) return;
    const added = packages.slice(before).filter((p) => p.dir !== root);
    const nested = await Promise.all(
      added.map(async (p) => ((await declaresWorkspace(ctx, p.dir)) ? p.dir : undefined)),
    );
    for (const dir of nested) {
      if (dir === undefined || roots.has(dir)) continue;
      roots.add(dir);
      await visit(dir, depth + 1);
    }
  }

  await visit(".", 0);
  if (packages.length === 0) {
    // Workspaces were declared but none of their entries matched: the warnings say why.
    add(singleRootPackage(ctx, []));
    tools.add("single");
  }
  const resolved = resolveDependencies(ctx, packages);
  const toolchainFiles: string[] = [];
  for (const root of [...roots].sort()) {
    for (const file of index.filesIn(root)) {
      if (isToolchainFile(file.slice(file.lastIndexOf("/") + 1))) toolchainFiles.push(file);
    }
    for (const dir of TOOLCHAIN_DIRS) {
      const full = fileIn(root, dir);
      if (index.hasDir(full)) requiredDirs.add(full);
    }
  }
  return {
    packages: resolved.sort((a, b) =>
      a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : a.ecosystem.localeCompare(b.ecosystem),
    ),
    tools: [...tools],
    toolchainFiles,
    requiredDirs: [...requiredDirs].sort(),
    warnings: ctx.warnings,
  };
}

function declaredFile(results: EcosystemResult[]): string {
  const tool = results.find((r) => r.declared)?.tools[0];
  switch (tool) {
    case "pnpm":
      return "pnpm-workspace.yaml";
    case "cargo":
      return "Cargo.toml";
    case "go-work":
      return "go.work";
    case "uv":
    case "poetry":
      return "pyproject.toml";
    default:
      return "package.json";
  }
}

const DECLARATIONS: readonly [string, RegExp][] = [
  ["package.json", /"workspaces"\s*:/],
  ["Cargo.toml", /^\s*\[workspace\]/m],
  ["pyproject.toml", /^\s*\[tool\.(?:uv|poetry)\.workspace\]/m],
];

/** A cheap look at a package's own files for a workspace declaration, before running discovery there. */
async function declaresWorkspace(ctx: DiscoveryContext, dir: string): Promise<boolean> {
  if (ctx.index.markerDirs.has(dir)) return true;
  for (const [file, pattern] of DECLARATIONS) {
    // read() answers undefined for files the index does not hold.
    const text = await ctx.read(fileIn(dir, file));
    if (text && pattern.test(text)) return true;
  }
  return false;
}

function singleRootPackage(ctx: DiscoveryContext, results: EcosystemResult[]): RawPackage {
  const lone = results.flatMap((r) => r.packages).find((p) => p.dir === ".");
  if (lone) return lone;
  const has = (f: string) => ctx.index.files.has(f);
  const base = { dir: ".", workspaceRoot: ".", depNames: [], depDirs: [] };
  if (has("package.json")) {
    const runner = has("pnpm-lock.yaml") ? "pnpm" : has("yarn.lock") ? "yarn" : "npm";
    return { ...base, name: ".", ecosystem: "node", runner, manifest: "package.json", hasTestScript: true };
  }
  if (has("setup.py") || has("setup.cfg") || has("requirements.txt")) {
    return {
      ...base,
      name: ".",
      ecosystem: "python",
      runner: "pip",
      manifest: has("setup.py") ? "setup.py" : "setup.cfg",
    };
  }
  return { ...base, name: ".", ecosystem: "other", runner: "none", manifest: "" };
}

/** Keeps, of each package's dependencies, those that are packages of this repository (by name or by path). */
function resolveDependencies(ctx: DiscoveryContext, packages: RawPackage[]): WorkspacePackage[] {
  const byName = new Map<Ecosystem, Map<string, RawPackage>>();
  const byDir = new Map<string, RawPackage[]>();
  for (const pkg of packages) {
    let names = byName.get(pkg.ecosystem);
    if (!names) {
      names = new Map();
      byName.set(pkg.ecosystem, names);
    }
    for (const name of new Set([pkg.name, pkg.nxProject].filter((n): n is string => !!n))) {
      const other = names.get(name);
      if (other && other.dir !== pkg.dir) {
        ctx.warn(
          "duplicate-name",
          pkg.manifest,
          `Two packages are named "${name}": ${other.dir} and ${pkg.dir}. Dependencies on "${name}" resolve to ${other.dir}; rename one so tools can tell them apart.`,
        );
      } else names.set(name, pkg);
    }
    const atDir = byDir.get(pkg.dir) ?? [];
    atDir.push(pkg);
    byDir.set(pkg.dir, atDir);
  }
  return packages.map((raw) => {
    const deps = new Set<string>();
    const names = byName.get(raw.ecosystem);
    for (const name of raw.depNames) {
      const target = names?.get(name);
      if (target && target.dir !== raw.dir) deps.add(target.name);
    }
    for (const dir of raw.depDirs) {
      for (const target of byDir.get(dir) ?? []) if (target.dir !== raw.dir) deps.add(target.name);
    }
    return toWorkspacePackage(raw, [...deps].sort());
  });
}

/** The public shape, field by field: an object rest (`{ depNames, depDirs, ...pkg }`) is V8's slow copy path, paid per package. */
function toWorkspacePackage(raw: RawPackage, dependencies: string[]): WorkspacePackage {
  const pkg: WorkspacePackage = {
    name: raw.name,
    dir: raw.dir,
    ecosystem: raw.ecosystem,
    runner: raw.runner,
    manifest: raw.manifest,
    workspaceRoot: raw.workspaceRoot,
    dependencies,
  };
  if (raw.nxProject !== undefined) pkg.nxProject = raw.nxProject;
  if (raw.hasTestScript !== undefined) pkg.hasTestScript = raw.hasTestScript;
  return pkg;
}
