import type { DiscoveryContext } from "./discovery-context.js";
import { fileIn, joinRepoPath, normalizeEntry } from "./paths.js";
import { type EcosystemResult, emptyResult, type RawPackage } from "./raw-package.js";

/** A `go.work` workspace (its `use` directives) rooted at `root`, or a lone `go.mod` there. */
export async function discoverGo(ctx: DiscoveryContext, root: string): Promise<EcosystemResult> {
  const result = emptyResult();
  const workFile = fileIn(root, "go.work");
  const work = ctx.index.files.has(workFile) ? await ctx.read(workFile) : undefined;
  if (work !== undefined) {
    result.declared = true;
    result.tools.push("go-work");
    const seen = new Set<string>();
    for (const { dir: entry, line } of parseDirectives(work, "use")) {
      const dir = joinRepoPath(root, normalizeEntry(entry));
      if (!dir) {
        ctx.warn(
          "invalid-entry",
          workFile,
          `"use ${entry}" (line ${line} of ${workFile}) points outside the repository; it was skipped.`,
        );
        continue;
      }
      if (seen.has(dir)) {
        ctx.warn(
          "duplicate-entry",
          workFile,
          `"use ${entry}" (line ${line} of ${workFile}) is listed twice; it counts once.`,
        );
        continue;
      }
      seen.add(dir);
      // Not a required directory: a sparse clone writes a go.work of its own modules instead.
      const mod = await readGoModule(ctx, dir, root);
      if (mod) result.packages.push(mod);
      else
        ctx.warn(
          "missing-manifest",
          workFile,
          ctx.index.dirs.has(dir)
            ? `"use ${entry}" (line ${line} of ${workFile}) has no go.mod; it is not a module.`
            : `"use ${entry}" (line ${line} of ${workFile}) does not exist in the repository.`,
        );
    }
    return result;
  }
  const mod = await readGoModule(ctx, root, root);
  if (mod) result.packages.push(mod);
  return result;
}

async function readGoModule(ctx: DiscoveryContext, dir: string, root: string): Promise<RawPackage | undefined> {
  const file = fileIn(dir, "go.mod");
  if (!ctx.index.files.has(file)) return undefined;
  const text = await ctx.read(file);
  if (text === undefined) return undefined;
  const name = /^\s*module\s+("?)([^\s"]+)\1/m.exec(text)?.[2];
  if (!name) {
    ctx.warn(
      "malformed-file",
      file,
      `${file} has no module directive; the module is called by its directory (${dir}).`,
    );
  }
  const depNames = parseDirectives(text, "require").map((d) => d.dir);
  const depDirs: string[] = [];
  for (const { dir: rep } of parseDirectives(text, "replace")) {
    // "old [v] => new [v]"; only local targets ("./x", "../x") point into the repository.
    const target = rep.split("=>")[1]?.trim().split(/\s+/)[0];
    if (target && (target.startsWith("./") || target.startsWith("../"))) {
      const resolved = joinRepoPath(dir, target);
      if (resolved) depDirs.push(resolved);
    }
  }
  return {
    name: name ?? dir,
    dir,
    ecosystem: "go",
    runner: "go",
    manifest: file,
    workspaceRoot: root,
    depNames,
    depDirs,
  };
}

/**
 * The arguments of a go.mod/go.work directive, in single-line (`use ./a`) and block
 * (`use (\n ./a\n )`) form. For `require` the module path is returned; for `replace` the whole line.
 */
function parseDirectives(text: string, directive: string): { dir: string; line: number }[] {
  const out: { dir: string; line: number }[] = [];
  const lines = text.split(/\r?\n/);
  let inBlock = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\/\/.*$/, "").trim();
    if (line === "") continue;
    if (inBlock) {
      if (line === ")") inBlock = false;
      else out.push({ dir: pick(line, directive), line: i + 1 });
      continue;
    }
    if (line === `${directive} (` || line === `${directive}(`) {
      inBlock = true;
      continue;
    }
    if (line.startsWith(`${directive} `))
      out.push({ dir: pick(line.slice(directive.length + 1).trim(), directive), line: i + 1 });
  }
  return out;
}

function pick(args: string, directive: string): string {
  if (directive === "replace") return args;
  return args.split(/\s+/)[0]!.replace(/^"(.*)"$/, "$1");
}
