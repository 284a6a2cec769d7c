#!/usr/bin/env node
// Used by the Dockerfiles: copies what one app needs at run time into a folder: for the app and
// every workspace package it depends on (transitively, through `dependencies` only) its
// package.json and dist/, and every installed package their production code can resolve.
// Usage: node infra/docker/assemble-runtime.mjs <workspace name> <out dir>
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  symlinkSync,
} from "node:fs";
import { dirname, join, relative } from "node:path";

const [app, out] = process.argv.slice(2);
if (!app || !out) {
  console.error("usage: assemble-runtime.mjs <workspace name> <out dir>");
  process.exit(2);
}

const root = process.cwd();
const rootManifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const workspaces = new Map();
for (const pattern of rootManifest.workspaces ?? []) {
  // The root lists folders as "<dir>/*".
  const base = pattern.replace(/\/\*$/, "");
  for (const name of readdirSync(join(root, base))) {
    const manifestPath = join(root, base, name, "package.json");
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
    workspaces.set(manifest.name, { dir: join(base, name), manifest });
  }
}

const needed = new Set();
const visit = (name) => {
  if (needed.has(name)) return;
  const ws = workspaces.get(name);
  if (!ws) throw new Error(`${name} is not a workspace of this repository`);
  needed.add(name);
  for (const dep of Object.keys(ws.manifest.dependencies ?? {})) if (workspaces.has(dep)) visit(dep);
};
visit(app);

mkdirSync(out, { recursive: true });
for (const file of ["package.json", "package-lock.json"]) cpSync(join(root, file), join(out, file));

// Node's own resolution, from each needed package: its node_modules, then its parents'. Only
// what production code can reach is copied; a production install still links every workspace
// and hoists their dependencies, which the image does not need.
const copied = new Set();
const resolveFrom = (fromDir, dep) => {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", dep);
    if (existsSync(join(candidate, "package.json")))
      return realpathSync(candidate) === candidate ? candidate : undefined;
    if (dir === root || dir === dirname(dir)) return undefined;
  }
};
const copyPackage = (dir) => {
  if (copied.has(dir)) return;
  copied.add(dir);
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  cpSync(dir, join(out, relative(root, dir)), {
    recursive: true,
    verbatimSymlinks: true,
    filter: (src) => src === dir || !src.startsWith(`${join(dir, "node_modules")}`),
  });
  // Optional peers (a type checker, a framework adapter) are the user's choice, not a need.
  const peers = Object.keys(manifest.peerDependencies ?? {}).filter(
    (p) => !manifest.peerDependenciesMeta?.[p]?.optional,
  );
  const deps = [...Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies }), ...peers];
  for (const dep of deps) {
    const found = resolveFrom(dir, dep);
    // Optional and peer dependencies may be absent; a missing required one fails at start-up,
    // where `npm ci` would have failed first.
    if (found) copyPackage(found);
  }
};
for (const name of needed) {
  const { dir } = workspaces.get(name);
  const abs = join(root, dir);
  if (!existsSync(join(abs, "dist"))) throw new Error(`${name} has no dist/: build it first`);
  mkdirSync(join(out, dir), { recursive: true });
  cpSync(join(abs, "package.json"), join(out, dir, "package.json"));
  cpSync(join(abs, "dist"), join(out, dir, "dist"), { recursive: true });
  // The workspace link node_modules/<name> -> <dir>, as npm made it.
  const link = join(root, "node_modules", name);
  if (existsSync(link)) {
    mkdirSync(dirname(join(out, "node_modules", name)), { recursive: true });
    symlinkSync(readlinkSync(link), join(out, "node_modules", name));
  }
  const deps = { ...workspaces.get(name).manifest.dependencies };
  for (const dep of Object.keys(deps)) {
    if (workspaces.has(dep)) continue;
    const found = resolveFrom(abs, dep);
    if (!found) throw new Error(`${name} depends on ${dep}, which the production install did not provide`);
    copyPackage(found);
  }
}
process.stdout.write(`runtime of ${app}: ${[...needed].join(", ")}; ${copied.size} packages from node_modules\n`);
