import type { Runner } from "../types.js";
import { asRecord, asString, type DiscoveryContext } from "./discovery-context.js";
import { expandMembers } from "./expand-members.js";
import { fileIn, joinRepoPath } from "./paths.js";
import { type EcosystemResult, emptyResult, type RawPackage } from "./raw-package.js";

/** PEP 503 normalization: `Foo_Bar.baz` and `foo-bar-baz` are one distribution. */
export function normalizePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

/**
 * uv workspaces (`[tool.uv.workspace] members/exclude`) and Poetry workspaces
 * (`[tool.poetry.workspace] include/exclude`, the poetry-workspace plugin) rooted at `root`,
 * or a lone root pyproject.
 */
export async function discoverPython(ctx: DiscoveryContext, root: string): Promise<EcosystemResult> {
  const result = emptyResult();
  const file = fileIn(root, "pyproject.toml");
  const manifest = await ctx.readToml(file);
  if (!manifest) return result;
  const tool = asRecord(manifest.tool);
  const uv = tool.uv === undefined ? undefined : asRecord(asRecord(tool.uv).workspace);
  const poetryWs =
    asRecord(tool.poetry).workspace === undefined ? undefined : asRecord(asRecord(tool.poetry).workspace);
  const uvDeclared = uv !== undefined && asRecord(tool.uv).workspace !== undefined;
  const runner: Runner = uvDeclared ? "uv" : poetryWs ? "poetry" : tool.poetry !== undefined ? "poetry" : "pip";

  if (manifest.project !== undefined || (tool.poetry !== undefined && asString(asRecord(tool.poetry).name))) {
    // A uv workspace root with a [project] is itself a member (a Poetry workspace root is not);
    // a lone pyproject is the repository's one package.
    if (!poetryWs) result.packages.push(pythonPackage(manifest, root, root, file, runner));
  }
  const ws = uvDeclared ? uv : poetryWs;
  if (ws) {
    result.declared = true;
    result.tools.push(uvDeclared ? "uv" : "poetry");
    const field = uvDeclared ? "[tool.uv.workspace] members" : "[tool.poetry.workspace] include";
    const entries = uvDeclared ? ws.members : (ws.include ?? ws.members);
    const { dirs, explicitDirs } = expandMembers(ctx, {
      entries: Array.isArray(entries) ? entries : [],
      exclude: Array.isArray(ws.exclude) ? ws.exclude : [],
      baseDir: root,
      manifest: "pyproject.toml",
      file,
      field,
    });
    result.requiredDirs.push(...explicitDirs);
    const manifests = await Promise.all(dirs.map((dir) => ctx.readToml(fileIn(dir, "pyproject.toml"))));
    for (const [i, dir] of dirs.entries()) {
      const memberFile = fileIn(dir, "pyproject.toml");
      const member = manifests[i];
      if (member) result.packages.push(pythonPackage(member, dir, root, memberFile, runner));
    }
  }
  return result;
}

function pythonPackage(
  manifest: Record<string, unknown>,
  dir: string,
  root: string,
  file: string,
  runner: Runner,
): RawPackage {
  const project = asRecord(manifest.project);
  const tool = asRecord(manifest.tool);
  const poetry = asRecord(tool.poetry);
  const name = normalizePythonName(asString(project.name) ?? asString(poetry.name) ?? dir.split("/").pop() ?? "root");
  const depNames: string[] = [];
  const depDirs: string[] = [];
  const requirement = (spec: unknown) => {
    const m = typeof spec === "string" ? /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(spec) : null;
    if (m) depNames.push(normalizePythonName(m[1]!));
    // PEP 508 direct references: "shared @ file:///${PROJECT_ROOT}/../shared" or "shared @ ../shared".
    const at = typeof spec === "string" ? /@\s*(?:file:\/\/(?:\$\{PROJECT_ROOT\})?)?(\.{1,2}\/\S*)/.exec(spec) : null;
    if (at) {
      const target = joinRepoPath(dir, at[1]!);
      if (target) depDirs.push(target);
    }
  };
  for (const spec of Array.isArray(project.dependencies) ? project.dependencies : []) requirement(spec);
  for (const group of [
    ...Object.values(asRecord(project["optional-dependencies"])),
    ...Object.values(asRecord(manifest["dependency-groups"])),
  ]) {
    for (const spec of Array.isArray(group) ? group : []) requirement(spec);
  }
  // `[tool.uv.sources] shared = { workspace = true }` or `{ path = "../shared" }`.
  for (const [key, source] of Object.entries(asRecord(asRecord(tool.uv).sources))) {
    depNames.push(normalizePythonName(key));
    const p = asString(asRecord(source).path);
    const target = p ? joinRepoPath(dir, p) : undefined;
    if (target) depDirs.push(target);
  }
  const poetryTables = [asRecord(poetry.dependencies), asRecord(poetry["dev-dependencies"])];
  for (const group of Object.values(asRecord(poetry.group))) poetryTables.push(asRecord(asRecord(group).dependencies));
  for (const table of poetryTables) {
    for (const [key, spec] of Object.entries(table)) {
      if (key === "python") continue;
      depNames.push(normalizePythonName(key));
      const p = asString(asRecord(spec).path);
      const target = p ? joinRepoPath(dir, p) : undefined;
      if (target) depDirs.push(target);
    }
  }
  return { name, dir, ecosystem: "python", runner, manifest: file, workspaceRoot: root, depNames, depDirs };
}
