import { describe, expect, it } from "vitest";
import { createLocalReader } from "../src/reader/local-reader.js";
import { createLazyReader } from "../src/reader/memory-reader.js";
import { makeFixtureRepo } from "./fixture-repo.js";
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
