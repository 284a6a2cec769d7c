import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

export interface SyntheticRepoOptions {
  packages: number;
  /** Approximate bytes of source per package (split over a few files). */
  sourceBytes: number;
  seed?: number;
}

const WORDS =
  "const let return function export import from await async if else for while map filter reduce value result error item list index count total config options request response handler client server cache token user session".split(
    " ",
  );

/** A deterministic pseudo-random generator, so every run builds the same repository. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function sourceText(random: () => number, bytes: number, name: string): string {
  const lines: string[] = [`// ${name}`];
  let size = 0;
  while (size < bytes) {
    const n = 4 + Math.floor(random() * 8);
    const words = Array.from({ length: n }, () => WORDS[Math.floor(random() * WORDS.length)]!);
    const line = `  ${words.join(" ")} ${Math.floor(random() * 1e6)};`;
    lines.push(line);
    size += line.length + 1;
  }
  return `${lines.join("\n")}\n`;
}

export const packageDir = (i: number) => `packages/pkg-${String(i).padStart(4, "0")}`;
export const packageName = (i: number) => `@synthetic/pkg-${String(i).padStart(4, "0")}`;

/**
 * An npm-workspaces monorepo of `packages` packages with internal dependencies inside product
 * groups and on a shared core, so a package's dependency closure is tens of packages, not all.
 */
export async function writeSyntheticRepo(root: string, options: SyntheticRepoOptions): Promise<void> {
  const random = rng(options.seed ?? 42);
  await mkdir(root, { recursive: true });
  await writeFile(
    path.join(root, "package.json"),
    JSON.stringify({ name: "synthetic", private: true, workspaces: ["packages/*"] }, null, 2),
  );
  await writeFile(path.join(root, "package-lock.json"), "{}\n");
  await writeFile(path.join(root, "tsconfig.base.json"), '{ "compilerOptions": { "strict": true } }\n');
  await writeFile(path.join(root, "turbo.json"), '{ "tasks": { "test": {} } }\n');
  for (let i = 0; i < options.packages; i++) {
    const dir = path.join(root, packageDir(i));
    await mkdir(path.join(dir, "src"), { recursive: true });
    const deps: Record<string, string> = {};
    // Groups of 50 packages (a product area) over a core of 20 shared libraries: each package
    // uses one core library and up to two earlier packages of its own group.
    const core = 20;
    const group = i - (i % 50);
    if (i >= core) deps[packageName(Math.floor(random() * core))] = "*";
    for (let k = 0; k < 2 && i > group; k++) deps[packageName(group + Math.floor(random() * (i - group)))] = "*";
    const manifest = {
      name: packageName(i),
      version: "1.0.0",
      scripts: { test: "vitest run" },
      dependencies: { ...deps, zod: "^4.0.0" },
    };
    await writeFile(path.join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    await writeFile(path.join(dir, "tsconfig.json"), '{ "extends": "../../tsconfig.base.json" }\n');
    await writeFile(path.join(dir, "README.md"), `# ${packageName(i)}\n`);
    const third = Math.floor(options.sourceBytes / 3);
    await writeFile(path.join(dir, "src/index.ts"), sourceText(random, third, `${packageName(i)} index`));
    await writeFile(path.join(dir, "src/lib.ts"), sourceText(random, third, `${packageName(i)} lib`));
    await writeFile(path.join(dir, "src/index.test.ts"), sourceText(random, third, `${packageName(i)} test`));
  }
}
