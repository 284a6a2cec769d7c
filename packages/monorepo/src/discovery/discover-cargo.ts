import { asRecord, asString, type DiscoveryContext } from "./discovery-context.js";
import { expandMembers } from "./expand-members.js";
import { fileIn, joinRepoPath } from "./paths.js";
import { type EcosystemResult, emptyResult, type RawPackage } from "./raw-package.js";

const DEP_TABLES = ["dependencies", "dev-dependencies", "build-dependencies"] as const;

/** A Cargo workspace (`[workspace] members`/`exclude`) rooted at `root`, and a root `[package]`. */
export async function discoverCargo(ctx: DiscoveryContext, root: string): Promise<EcosystemResult> {
  const result = emptyResult();
  const file = fileIn(root, "Cargo.toml");
  const manifest = await ctx.readToml(file);
  if (!manifest) return result;
  const workspace = manifest.workspace === undefined ? undefined : asRecord(manifest.workspace);
  // `[workspace.dependencies] foo = { path = "crates/foo" }` is what members' `workspace = true` resolve to.
  const workspaceDeps = new Map<string, string>();
  for (const [name, spec] of Object.entries(asRecord(workspace?.dependencies))) {
    const p = asString(asRecord(spec).path);
    const dir = p ? joinRepoPath(root, p) : undefined;
    if (dir) workspaceDeps.set(name, dir);
  }

  if (manifest.package !== undefined) {
    const pkg = cratePackage(manifest, root, root, file, workspaceDeps);
    if (pkg) result.packages.push(pkg);
  }
  if (workspace) {
    result.declared = true;
    result.tools.push("cargo");
    const members = Array.isArray(workspace.members) ? workspace.members : [];
    const exclude = Array.isArray(workspace.exclude) ? workspace.exclude : [];
    const { dirs, explicitDirs } = expandMembers(ctx, {
      entries: members,
      exclude,
      baseDir: root,
      manifest: "Cargo.toml",
      file,
      field: "[workspace] members",
    });
    // Cargo refuses to load a workspace whose listed member is missing, so a sparse clone keeps them.
    result.requiredDirs.push(...explicitDirs);
    const manifests = await Promise.all(dirs.map((dir) => ctx.readToml(fileIn(dir, "Cargo.toml"))));
    for (const [i, dir] of dirs.entries()) {
      const memberFile = fileIn(dir, "Cargo.toml");
      const member = manifests[i];
      if (!member) continue;
      if (member.package === undefined) {
        ctx.warn(
          "missing-manifest",
          memberFile,
          `${memberFile} is listed as a workspace member but has no [package]; it was skipped.`,
        );
        continue;
      }
      const pkg = cratePackage(member, dir, root, memberFile, workspaceDeps);
      if (pkg) result.packages.push(pkg);
    }
  }
  return result;
}

function cratePackage(
  manifest: Record<string, unknown>,
  dir: string,
  root: string,
  file: string,
  workspaceDeps: ReadonlyMap<string, string>,
): RawPackage | undefined {
  const name = asString(asRecord(manifest.package).name) ?? dir.split("/").pop() ?? "root";
  const depNames: string[] = [];
  const depDirs: string[] = [];
  const tables = DEP_TABLES.map((t) => asRecord(manifest[t]));
  for (const target of Object.values(asRecord(manifest.target))) {
    for (const t of DEP_TABLES) tables.push(asRecord(asRecord(target)[t]));
  }
  for (const table of tables) {
    for (const [key, spec] of Object.entries(table)) {
      const s = asRecord(spec);
      // `foo = { package = "real-name", path = ".." }` renames; the package field is the crate.
      depNames.push(asString(s.package) ?? key);
      const p = asString(s.path);
      const viaPath = p ? joinRepoPath(dir, p) : undefined;
      const viaWorkspace = s.workspace === true ? workspaceDeps.get(key) : undefined;
      const target = viaPath ?? viaWorkspace;
      if (target) depDirs.push(target);
    }
  }
  return { name, dir, ecosystem: "rust", runner: "cargo", manifest: file, workspaceRoot: root, depNames, depDirs };
}
