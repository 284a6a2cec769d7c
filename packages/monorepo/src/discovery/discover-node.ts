import { parseDocument } from "yaml";
import type { Runner, WorkspaceTool } from "../types.js";
import { asRecord, asString, type DiscoveryContext } from "./discovery-context.js";
import { expandMembers } from "./expand-members.js";
import { fileIn, joinRepoPath } from "./paths.js";
import { type EcosystemResult, emptyResult, type RawPackage } from "./raw-package.js";

const DEPENDENCY_FIELDS = ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"] as const;

/**
 * Node workspaces under `root`: npm/yarn `workspaces` (array or `{ packages }`),
 * `pnpm-workspace.yaml`, `lerna.json` `packages`, Nx `project.json` projects. turbo.json adds no
 * packages of its own: turbo runs over the package manager's workspaces.
 */
export async function discoverNode(ctx: DiscoveryContext, root: string): Promise<EcosystemResult> {
  const result = emptyResult();
  const rootManifest = fileIn(root, "package.json");
  const pkg = await ctx.readJson(rootManifest);
  const entries: unknown[] = [];
  const tools = new Set<WorkspaceTool>();

  const pnpmFile = fileIn(root, "pnpm-workspace.yaml");
  const pnpmEntries = await readPnpmWorkspace(ctx, pnpmFile);
  if (pnpmEntries) {
    tools.add("pnpm");
    entries.push(...pnpmEntries);
  }

  let workspacesFile: string | undefined;
  if (pkg && pkg.workspaces !== undefined) {
    const ws = pkg.workspaces;
    const list = Array.isArray(ws)
      ? ws
      : Array.isArray(asRecord(ws).packages)
        ? (asRecord(ws).packages as unknown[])
        : undefined;
    if (list) {
      workspacesFile = rootManifest;
      // pnpm ignores package.json workspaces; listing both is common during a migration.
      if (!pnpmEntries) entries.push(...list);
    } else {
      ctx.warn(
        "invalid-entry",
        rootManifest,
        `"workspaces" in ${rootManifest} must be an array of globs or { "packages": [...] }; it was ignored.`,
      );
    }
  }

  const lernaFile = fileIn(root, "lerna.json");
  const lerna = await ctx.readJson(lernaFile);
  if (lerna) {
    tools.add("lerna");
    // Lerna 7 reads the package manager's workspaces; older configs list packages themselves.
    if (Array.isArray(lerna.packages)) {
      if (entries.length === 0) entries.push(...lerna.packages);
    } else if (entries.length === 0 && lerna.useWorkspaces !== true) {
      entries.push("packages/*");
    }
  }

  const nxFile = fileIn(root, "nx.json");
  const nx = ctx.index.files.has(nxFile) ? await ctx.readJson(nxFile) : undefined;
  const hasNx = ctx.index.files.has(nxFile);
  if (hasNx) tools.add("nx");
  const turboFile = fileIn(root, "turbo.json");
  if (ctx.index.files.has(turboFile)) {
    tools.add("turbo");
    await ctx.readJson(turboFile); // only to report a malformed file
  }

  const runner = detectRunner(ctx, root, pkg, lerna);
  if (entries.length > 0) {
    tools.add(runner === "pnpm" ? "pnpm" : runner === "yarn" ? "yarn" : "npm");
    const sourceFile = pnpmEntries ? pnpmFile : (workspacesFile ?? lernaFile);
    const { dirs, explicitDirs } = expandMembers(ctx, {
      entries,
      baseDir: root,
      manifest: "package.json",
      file: sourceFile,
      field: pnpmEntries ? "packages" : workspacesFile ? "workspaces" : "packages",
    });
    result.requiredDirs.push(...explicitDirs);
    const members = await Promise.all(dirs.map((dir) => readNodePackage(ctx, dir, root, runner)));
    for (const member of members) if (member) result.packages.push(member);
  } else if (tools.has("turbo")) {
    ctx.warn(
      "invalid-entry",
      turboFile,
      `${turboFile} is present but ${rootManifest} declares no workspaces, so turbo has no packages to run.`,
    );
  }

  if (hasNx) await addNxProjects(ctx, root, nx, result.packages);

  result.tools = [...tools];
  result.declared = result.packages.length > 0 || entries.length > 0;
  return result;
}

async function readPnpmWorkspace(ctx: DiscoveryContext, file: string): Promise<unknown[] | undefined> {
  if (!ctx.index.files.has(file)) return undefined;
  const text = await ctx.read(file);
  if (text === undefined) return undefined;
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const where = first.linePos?.[0] ? ` at line ${first.linePos[0].line}, column ${first.linePos[0].col}` : "";
    ctx.warn(
      "malformed-file",
      file,
      `${file} is not valid YAML${where} (${first.message.split("\n")[0]}); its packages were ignored, so pnpm will fail on it too.`,
    );
    return undefined;
  }
  const value = doc.toJS() as unknown;
  if (value === null || value === undefined) return [];
  const packages = asRecord(value).packages;
  if (packages === undefined) return [];
  if (!Array.isArray(packages)) {
    ctx.warn("malformed-file", file, `"packages" in ${file} must be a list of globs; it was ignored.`);
    return undefined;
  }
  return packages;
}

function detectRunner(
  ctx: DiscoveryContext,
  root: string,
  pkg: Record<string, unknown> | undefined,
  lerna: Record<string, unknown> | undefined,
): Runner {
  const declared = asString(pkg?.packageManager)?.split("@")[0];
  if (declared === "pnpm" || declared === "yarn" || declared === "npm") return declared;
  if (ctx.index.files.has(fileIn(root, "pnpm-workspace.yaml")) || ctx.index.files.has(fileIn(root, "pnpm-lock.yaml")))
    return "pnpm";
  if (ctx.index.files.has(fileIn(root, "yarn.lock")) || ctx.index.files.has(fileIn(root, ".yarnrc.yml"))) return "yarn";
  const client = asString(lerna?.npmClient);
  if (client === "yarn" || client === "pnpm") return client;
  return "npm";
}

export async function readNodePackage(
  ctx: DiscoveryContext,
  dir: string,
  workspaceRoot: string,
  runner: Runner,
): Promise<RawPackage | undefined> {
  const manifest = fileIn(dir, "package.json");
  const json = await ctx.readJson(manifest);
  if (!json) return undefined;
  let name = asString(json.name);
  if (!name) {
    ctx.warn("invalid-entry", manifest, `${manifest} has no "name"; the package is called by its directory (${dir}).`);
    name = dir;
  }
  const depNames: string[] = [];
  const depDirs: string[] = [];
  for (const field of DEPENDENCY_FIELDS) {
    for (const [dep, spec] of Object.entries(asRecord(json[field]))) {
      depNames.push(dep);
      if (typeof spec !== "string") continue;
      // `workspace:` may alias another package: "workspace:@scope/real@*".
      const alias = /^workspace:(@?[^@\s]+)@/.exec(spec);
      if (alias) depNames.push(alias[1]!);
      const local = /^(?:file|link|portal):(.+)$/.exec(spec);
      if (local) {
        const target = joinRepoPath(dir, local[1]!);
        if (target) depDirs.push(target);
      }
    }
  }
  const scripts = asRecord(json.scripts);
  return {
    name,
    dir,
    ecosystem: "node",
    runner,
    manifest,
    workspaceRoot,
    depNames,
    depDirs,
    hasTestScript: typeof scripts.test === "string",
  };
}

/** Nx projects: every `project.json` under the root, merged with the package.json package in the same directory. */
async function addNxProjects(
  ctx: DiscoveryContext,
  root: string,
  _nx: Record<string, unknown> | undefined,
  packages: RawPackage[],
): Promise<void> {
  const byDir = new Map(packages.map((p) => [p.dir, p]));
  const prefix = root === "." ? "" : `${root}/`;
  for (const dir of ctx.index.dirsWith("project.json")) {
    if (prefix !== "" && !dir.startsWith(prefix) && dir !== root) continue;
    const manifest = fileIn(dir, "project.json");
    const project = await ctx.readJson(manifest);
    if (!project) continue;
    const existing =
      byDir.get(dir) ??
      (ctx.index.files.has(fileIn(dir, "package.json")) ? await readNodePackage(ctx, dir, root, "nx") : undefined);
    const name = asString(project.name) ?? existing?.name ?? dir.split("/").pop()!;
    const implicit = Array.isArray(project.implicitDependencies)
      ? project.implicitDependencies.filter((d): d is string => typeof d === "string" && !d.startsWith("!"))
      : [];
    if (existing) {
      existing.nxProject = name;
      existing.runner = "nx";
      existing.depNames.push(...implicit);
      if (!byDir.has(dir)) {
        packages.push(existing);
        byDir.set(dir, existing);
      }
    } else {
      const pkg: RawPackage = {
        name,
        dir,
        ecosystem: "node",
        runner: "nx",
        manifest,
        workspaceRoot: root,
        nxProject: name,
        depNames: implicit,
        depDirs: [],
      };
      packages.push(pkg);
      byDir.set(dir, pkg);
    }
  }
  // package.json projects Nx infers get the Nx runner too, under their package name.
  for (const pkg of packages) {
    if (!pkg.nxProject) {
      pkg.nxProject = pkg.name;
      pkg.runner = "nx";
    }
  }
}
