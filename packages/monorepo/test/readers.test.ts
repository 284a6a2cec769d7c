import { readFile, symlink } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { discoverWorkspace } from "../src/discovery/discover-workspace.js";
import { createCoalescedReads } from "../src/reader/coalesced-reads.js";
import { createLocalReader } from "../src/reader/local-reader.js";
import { createLazyReader, createMemoryReader } from "../src/reader/memory-reader.js";
import { cases } from "./ecosystem-cases.js";
import { makeFixtureRepo, nodePackage } from "./fixture-repo.js";
import { git } from "./git.js";

describe("createLocalReader", () => {
  it("walks the tree without dependency and VCS directories, and refuses paths outside the root", async () => {
    const repo = await makeFixtureRepo({
      "a/package.json": "{}",
      "a/node_modules/x/package.json": "{}",
      "target/debug/x": "",
      "b.txt": "b",
    });
    try {
      expect(await repo.reader.listFiles()).toEqual(["a/package.json", "b.txt"]);
      expect(await repo.reader.readFile("b.txt")).toBe("b");
      expect(await repo.reader.readFile("missing.txt")).toBeUndefined();
      expect(await repo.reader.readFile("a")).toBeUndefined();
      expect(await repo.reader.readFile("../etc/passwd")).toBeUndefined();
    } finally {
      await repo.remove();
    }
  });

  it("lists a git work tree from its index: tracked files only", async () => {
    const repo = await makeFixtureRepo({ "tracked/package.json": "{}", "dist/out.js": "" });
    try {
      await git(["init", "-q", "-b", "main"], repo.root);
      await git(["add", "tracked"], repo.root);
      expect(await createLocalReader(repo.root).listFiles()).toEqual(["tracked/package.json"]);
      expect(await createLocalReader(repo.root, { listing: "walk" }).listFiles()).toEqual([
        "dist/out.js",
        "tracked/package.json",
      ]);
    } finally {
      await repo.remove();
    }
  });
});

describe("createLazyReader", () => {
  it("fetches each known file once, never asks for unknown paths, and retries after a failed fetch", async () => {
    const asked: string[] = [];
    let fail = true;
    const reader = createLazyReader({
      paths: ["package.json", "packages/a/package.json"],
      read: async (p) => {
        asked.push(p);
        if (p === "packages/a/package.json" && fail) {
          fail = false;
          throw new Error("502 from the API");
        }
        return `content of ${p}`;
      },
    });
    expect(await reader.readFile("package.json")).toBe("content of package.json");
    expect(await reader.readFile("package.json")).toBe("content of package.json");
    expect(await reader.readFile("nope.json")).toBeUndefined();
    await expect(reader.readFile("packages/a/package.json")).rejects.toThrow("502");
    expect(await reader.readFile("packages/a/package.json")).toBe("content of packages/a/package.json");
    expect(asked).toEqual(["package.json", "packages/a/package.json", "packages/a/package.json"]);
  });
});

describe("createCoalescedReads", () => {
  it("answers many requests made at once with the file system's contents; absent paths, directories and paths through a file read as undefined", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`p/${i}/package.json`] = JSON.stringify({ name: `pkg-${i}`, i }).repeat(i % 7);
    files["unicode.json"] = '\uFEFF{ "name": "ünïcødé ✓ 🚀" }';
    files.empty = "";
    const repo = await makeFixtureRepo(files);
    try {
      const read = createCoalescedReads();
      const abs = (f: string) => path.join(repo.root, f);
      const names = Object.keys(files);
      const got = await Promise.all([
        ...names.map((f) => read(abs(f))),
        read(abs("missing.json")),
        read(abs("p/1")),
        read(abs("empty/below")),
      ]);
      const expected = await Promise.all(names.map((f) => readFile(abs(f), "utf8")));
      expect(got.slice(0, names.length)).toEqual(expected);
      expect(got.slice(names.length)).toEqual([undefined, undefined, undefined]);
    } finally {
      await repo.remove();
    }
  });

  it("reads files at and over the synchronous limit whole", async () => {
    const limit = 1024;
    const sizes = [0, limit - 1, limit, limit + 1, 5 * limit + 17];
    const files = Object.fromEntries(
      sizes.map((n) => [`f${n}.txt`, "é".repeat(Math.floor(n / 2)) + "x".repeat(n % 2)]),
    );
    const repo = await makeFixtureRepo(files);
    try {
      const read = createCoalescedReads({ maxSyncBytes: limit });
      for (const [name, content] of Object.entries(files)) {
        expect(await read(path.join(repo.root, name))).toBe(content);
      }
      // Interleaved with small ones, the large reads settle too, and with the right contents.
      const all = await Promise.all(Object.keys(files).map((name) => read(path.join(repo.root, name))));
      expect(all).toEqual(Object.values(files));
    } finally {
      await repo.remove();
    }
  });

  it("serves a large batch in slices, letting the event loop run between them", async () => {
    const files = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`f${i}`, `content ${i}`]));
    const repo = await makeFixtureRepo(files);
    try {
      // A zero-length slice serves one file per turn of the event loop.
      const read = createCoalescedReads({ sliceMs: 0 });
      const events: string[] = [];
      let ticking = true;
      const tick = () => {
        events.push("tick");
        if (ticking) setImmediate(tick);
      };
      setImmediate(tick);
      const all = Promise.all(
        Object.keys(files).map((name) =>
          read(path.join(repo.root, name)).then((text) => {
            events.push("read");
            return text;
          }),
        ),
      );
      expect(await all).toEqual(Object.values(files));
      ticking = false;
      const lastRead = events.lastIndexOf("read");
      const ticksBeforeLastRead = events.slice(0, lastRead).filter((e) => e === "tick").length;
      expect(ticksBeforeLastRead).toBeGreaterThanOrEqual(40);
    } finally {
      await repo.remove();
    }
  });

  it("rejects a read that fails for another reason than absence, and still serves the rest of the batch", async () => {
    const repo = await makeFixtureRepo({ "ok.txt": "fine" });
    try {
      await symlink("loop-b", path.join(repo.root, "loop-a"));
      await symlink("loop-a", path.join(repo.root, "loop-b"));
      const read = createCoalescedReads();
      const [loop, ok] = await Promise.allSettled([
        read(path.join(repo.root, "loop-a")),
        read(path.join(repo.root, "ok.txt")),
      ]);
      expect(loop.status).toBe("rejected");
      expect((loop as PromiseRejectedResult).reason.code).toBe("ELOOP");
      expect(ok).toEqual({ status: "fulfilled", value: "fine" });
    } finally {
      await repo.remove();
    }
  });
});

/** Edge fixtures beside the ecosystem ones: nesting, malformed files, ignored directories, a lone package. */
const edgeFixtures: Record<string, Record<string, string | object>> = {
  "nested workspaces and ignored directories": {
    "package.json": { name: "root", workspaces: ["packages/*", "apps/**", "!apps/legacy"] },
    "yarn.lock": "",
    "tsconfig.base.json": "{}",
    ".yarn/releases/yarn.cjs": "",
    "packages/a/package.json": nodePackage("a", { b: "*" }),
    "packages/a/node_modules/dep/package.json": nodePackage("dep"),
    "packages/b/package.json": nodePackage("b"),
    "packages/native/package.json": nodePackage("native"),
    "packages/native/Cargo.toml": '[workspace]\nmembers = ["crates/*"]\n',
    "packages/native/crates/core/Cargo.toml": '[package]\nname = "core"\n',
    "packages/tools/package.json": nodePackage("tools", {}, { workspaces: ["plugins/*"] }),
    "packages/tools/plugins/x/package.json": nodePackage("x"),
    "apps/legacy/package.json": nodePackage("legacy"),
    "apps/site/web/package.json": nodePackage("web", { a: "workspace:*" }),
    "target/debug/package.json": nodePackage("not-a-package"),
  },
  "malformed and missing members": {
    "pnpm-workspace.yaml": "packages:\n  - 'libs/*'\n  - 'missing/*'\n  - 'docs'\n",
    "package.json": {},
    "libs/good/package.json": nodePackage("good"),
    "libs/bad/package.json": "{ not json",
    "docs/README.md": "",
    "go.work": "go 1.22\n\nuse (\n\t./svc\n\t./gone\n)\n",
    "svc/go.mod": "module example.com/svc\n",
    "pyproject.toml": '[tool.uv.workspace]\nmembers = ["py/*"]\n',
    "py/a/pyproject.toml": "[project\nname=",
  },
  "one package, no workspace": {
    "setup.py": "from setuptools import setup\n",
    "requirements.txt": "requests\n",
    "src/app.py": "",
  },
};

describe("every reader finds the same workspace", () => {
  const fixtures = [...cases.map((c) => [c.title, c.files] as const), ...Object.entries(edgeFixtures)];
  it.each(fixtures)("%s: the git index, the directory walk and memory agree", async (_title, files) => {
    const repo = await makeFixtureRepo(files);
    try {
      await git(["init", "-q", "-b", "main"], repo.root);
      // Tracked as a clone would have them (ignored directories are not committed in real repositories).
      await git(["add", "--", ":(exclude)**/node_modules/**", ":(exclude)target/**", "."], repo.root);
      const fromIndex = await discoverWorkspace(createLocalReader(repo.root, { listing: "git" }));
      const fromWalk = await discoverWorkspace(createLocalReader(repo.root, { listing: "walk" }));
      const tracked = (await git(["ls-files", "-z"], repo.root)).split("\0").filter((f) => f !== "");
      const contents = new Map<string, string>();
      for (const f of tracked) contents.set(f, await readFile(path.join(repo.root, f), "utf8"));
      const fromMemory = await discoverWorkspace(createMemoryReader(contents));
      expect(fromIndex.packages.length).toBeGreaterThan(0);
      expect(fromWalk).toEqual(fromIndex);
      expect(fromMemory).toEqual(fromIndex);
    } finally {
      await repo.remove();
    }
  });

  it("the fixtures above are not trivial: the edge fixtures produce nesting and warnings", async () => {
    const repo = await makeFixtureRepo(edgeFixtures["malformed and missing members"]!);
    const nested = await makeFixtureRepo(edgeFixtures["nested workspaces and ignored directories"]!);
    try {
      const malformed = await discoverWorkspace(repo.reader);
      expect(new Set(malformed.warnings.map((w) => w.code))).toEqual(
        new Set(["malformed-file", "entry-matches-nothing", "missing-manifest"]),
      );
      const ws = await discoverWorkspace(nested.reader);
      expect(ws.packages.map((p) => p.dir)).toEqual([
        "apps/site/web",
        "packages/a",
        "packages/b",
        "packages/native",
        "packages/native/crates/core",
        "packages/tools",
        "packages/tools/plugins/x",
      ]);
      expect(ws.warnings.map((w) => w.code)).toContain("nested-workspace");
      // The root's .yarn/releases is a directory the toolchain needs, found without listing every directory.
      expect(ws.requiredDirs).toContain(".yarn/releases");
    } finally {
      await repo.remove();
      await nested.remove();
    }
  });
});
