import path from "node:path/posix";
import {
  DEFAULT_SPARSE_THRESHOLD_FILES,
  DEFAULT_SPARSE_THRESHOLD_KB,
  type SparseCheckoutConfig,
} from "../config/monorepo-config.js";
import { asString, isRecord } from "../discovery/discovery-context.js";
import { fileIn, isWithin, joinRepoPath } from "../discovery/paths.js";
import type { RepoReader } from "../reader/repo-reader.js";
import type { Scope } from "../scope/scope.js";
import type { Workspace, WorkspacePackage } from "../types.js";

export interface SparsePlan {
  /** Directories for `git sparse-checkout set --cone`, minimal (none inside another); empty = the full tree. */
  dirs: string[];
  /** Toolchain files the clone needs; cone mode keeps every file of the root and of each listed directory's parents. */
  files: string[];
  /** Environment the verify commands need in the sparse tree (`GOWORK` for a trimmed go.work). */
  env: Record<string, string>;
  /** Files to write into the clone before running anything (outside the work tree's tracked paths). */
  generatedFiles: { path: string; content: string }[];
  notes: string[];
}

export interface SparsePlanInput {
  workspace: Workspace;
  scope: Scope;
  /** Reads tsconfig files to follow `extends` into shared config directories. */
  reader?: RepoReader;
}

/** Where the trimmed go.work is written: inside `.git`, so it can never become part of the diff. */
export const SPARSE_GO_WORK = ".git/fixfleet/go.work";

/**
 * The directories a sparse clone needs for the scope: the units' directories, the internal
 * packages they depend on (transitively), the members the toolchain refuses to load without,
 * the directories of tsconfig `extends` targets, and the root toolchain files.
 */
export async function sparseCheckoutPlan(input: SparsePlanInput): Promise<SparsePlan> {
  const { workspace, scope } = input;
  const notes: string[] = [];
  const wanted = new Set<string>();
  const byName = new Map<string, WorkspacePackage[]>();
  for (const p of workspace.packages) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);

  const included: WorkspacePackage[] = [];
  const visited = new Set<WorkspacePackage>();
  const visit = (pkg: WorkspacePackage) => {
    if (visited.has(pkg)) return;
    visited.add(pkg);
    included.push(pkg);
    wanted.add(pkg.dir);
    if (pkg.workspaceRoot !== ".") wanted.add(pkg.workspaceRoot);
    for (const dep of pkg.dependencies) {
      const targets = byName.get(dep) ?? [];
      const target = targets.find((t) => t.ecosystem === pkg.ecosystem) ?? targets[0];
      if (target) visit(target);
    }
  };
  for (const unit of scope.units) {
    for (const dir of unit.dirs) wanted.add(dir);
    // Config scopes: the packages inside them bring their dependencies too.
    const packages = unit.package
      ? [unit.package]
      : workspace.packages.filter((p) => unit.dirs.some((d) => isWithin(p.dir, d)));
    for (const pkg of packages) visit(pkg);
  }
  if (wanted.has(".")) {
    notes.push("The scope includes the repository root, so the whole tree is checked out.");
    return { dirs: [], files: [], env: {}, generatedFiles: [], notes };
  }
  for (const dir of workspace.requiredDirs) wanted.add(dir);

  if (input.reader) {
    for (const dir of await tsconfigExtendsDirs(input.reader, [...wanted])) wanted.add(dir);
  }

  const env: Record<string, string> = {};
  const generatedFiles: SparsePlan["generatedFiles"] = [];
  if (workspace.tools.includes("go-work")) {
    const modules = included.filter((p) => p.ecosystem === "go" && p.workspaceRoot === ".").map((p) => p.dir);
    const original = input.reader ? await input.reader.readFile("go.work") : undefined;
    generatedFiles.push({ path: SPARSE_GO_WORK, content: trimGoWork(original ?? "go 1.18\n", modules) });
    env.GOWORK = SPARSE_GO_WORK;
    notes.push(
      `go.work lists modules that are not checked out; ${SPARSE_GO_WORK} keeps its directives and uses only the ${modules.length} module(s) needed (GOWORK is relative to the clone: make it absolute).`,
    );
  }

  return { dirs: minimalDirs([...wanted]), files: [...workspace.toolchainFiles], env, generatedFiles, notes };
}

/**
 * The repository's go.work with its `use` directives replaced by the modules checked out, for a
 * file two levels down (`.git/fixfleet/`): relative paths are re-rooted so `replace` still resolves.
 */
export function trimGoWork(original: string, modules: readonly string[]): string {
  const reroot = (p: string) => (p.startsWith("./") || p.startsWith("../") ? path.join("../..", p) : p);
  const kept: string[] = [];
  let inUse = false;
  for (const line of original.split(/\r?\n/)) {
    const code = line.replace(/\/\/.*$/, "").trim();
    if (inUse) {
      if (code === ")") inUse = false;
      continue;
    }
    if (/^use\s*\($/.test(code)) {
      inUse = true;
      continue;
    }
    if (/^use\s/.test(code)) continue;
    kept.push(
      line.includes("=>")
        ? line.replace(/(=>\s*)(\S+)/, (_, arrow: string, target: string) => arrow + reroot(target))
        : line,
    );
  }
  const uses = modules.map((d) => `\t${path.join("../..", d)}`).join("\n");
  return `${kept.join("\n").trimEnd()}\n\nuse (\n${uses}\n)\n`;
}

/** Drops directories inside another listed one (cone mode includes subdirectories). */
function minimalDirs(dirs: string[]): string[] {
  const sorted = [...new Set(dirs)].filter((d) => d !== ".").sort();
  const out: string[] = [];
  for (const dir of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && isWithin(dir, last)) continue;
    out.push(dir);
  }
  return out;
}

/** Directories holding the configs that the tsconfig files of `dirs` extend (relative extends only). */
async function tsconfigExtendsDirs(reader: RepoReader, dirs: string[]): Promise<string[]> {
  const out = new Set<string>();
  const queue = dirs.map((d) => fileIn(d, "tsconfig.json"));
  const seen = new Set<string>();
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (seen.has(file) || seen.size > 200) continue;
    seen.add(file);
    const text = await reader.readFile(file);
    if (text === undefined) continue;
    let json: unknown;
    try {
      // tsconfig allows comments and trailing commas.
      json = JSON.parse(text.replace(/\/\*[\s\S]*?\*\/|(^|[^:"])\/\/.*$/gm, "$1").replace(/,(\s*[}\]])/g, "$1"));
    } catch {
      continue;
    }
    if (!isRecord(json)) continue;
    const ext = json.extends;
    const list = Array.isArray(ext) ? ext : [ext];
    for (const e of list) {
      const target = asString(e);
      if (!target?.startsWith(".")) continue; // package specifiers live in node_modules
      const resolved = joinRepoPath(path.dirname(file), target.endsWith(".json") ? target : `${target}.json`);
      if (!resolved || resolved === ".") continue;
      const dir = path.dirname(resolved);
      if (dir !== ".") out.add(dir);
      queue.push(resolved);
    }
  }
  return [...out];
}

export interface RepositorySize {
  /** GitHub's `size` of the repository (KiB), when known. */
  sizeKb?: number;
  /** Files in the revision (e.g. the length of a recursive tree), when known. */
  fileCount?: number;
}

/** Whether to clone sparsely: config `always`/`never`, else `auto` by size or file count. */
export function decideSparseCheckout(
  size: RepositorySize,
  config?: SparseCheckoutConfig,
): { sparse: boolean; reason: string } {
  const enabled = config?.enabled ?? "auto";
  if (enabled === "always") return { sparse: true, reason: "sparse_checkout.enabled is always" };
  if (enabled === "never") return { sparse: false, reason: "sparse_checkout.enabled is never" };
  const limitKb = (config?.threshold_mb ?? DEFAULT_SPARSE_THRESHOLD_KB / 1024) * 1024;
  const limitFiles = config?.threshold_files ?? DEFAULT_SPARSE_THRESHOLD_FILES;
  if (size.sizeKb !== undefined && size.sizeKb > limitKb) {
    return {
      sparse: true,
      reason: `the repository is ${Math.round(size.sizeKb / 1024)} MiB, over the ${Math.round(limitKb / 1024)} MiB threshold`,
    };
  }
  if (size.fileCount !== undefined && size.fileCount > limitFiles) {
    return {
      sparse: true,
      reason: `the repository has ${size.fileCount} files, over the ${limitFiles}-file threshold`,
    };
  }
  if (size.sizeKb === undefined && size.fileCount === undefined)
    return { sparse: false, reason: "the repository's size is unknown" };
  return { sparse: false, reason: "the repository is under the sparse checkout thresholds" };
}
