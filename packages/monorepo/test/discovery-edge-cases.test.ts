import { describe, expect, it } from "vitest";
import { discoverWorkspace } from "../src/discovery/discover-workspace.js";
import { createMemoryReader } from "../src/reader/memory-reader.js";
import { inferVerifyCommand } from "../src/verify/infer-verify-command.js";
import { makeFixtureRepo, nodePackage } from "./fixture-repo.js";

async function discoverOnDisk(files: Record<string, string | object>) {
  const repo = await makeFixtureRepo(files);
  try {
    return await discoverWorkspace(repo.reader);
  } finally {
    await repo.remove();
  }
}

const dirs = (ws: { packages: { dir: string }[] }) => ws.packages.map((p) => p.dir);

describe("globs", () => {
  it("expands *, ** and negations, and never treats node_modules as a package", async () => {
    const ws = await discoverOnDisk({
      "package.json": { workspaces: ["packages/*", "!packages/legacy", "apps/**"] },
      "packages/a/package.json": nodePackage("a"),
      "packages/legacy/package.json": nodePackage("legacy"),
      "packages/a/node_modules/dep/package.json": nodePackage("dep"),
      "apps/site/package.json": nodePackage("site"),
      "apps/tools/cli/package.json": nodePackage("cli"),
      "apps/tools/README.md": "not a package",
    });
    expect(dirs(ws)).toEqual(["apps/site", "apps/tools/cli", "packages/a"]);
    expect(ws.warnings).toEqual([]);
  });

  it("applies pnpm negations and Cargo/uv exclude lists", async () => {
    const pnpm = await discoverOnDisk({
      "package.json": {},
      "pnpm-workspace.yaml": "packages:\n  - 'packages/**'\n  - '!**/test/**'\n",
      "packages/a/package.json": nodePackage("a"),
      "packages/a/test/fixture/package.json": nodePackage("fixture"),
    });
    expect(dirs(pnpm)).toEqual(["packages/a"]);

    const cargo = await discoverOnDisk({
      "Cargo.toml": '[workspace]\nmembers = ["crates/*"]\nexclude = ["crates/experimental"]\n',
      "crates/core/Cargo.toml": '[package]\nname = "core"\n',
      "crates/experimental/Cargo.toml": '[package]\nname = "experimental"\n',
    });
    expect(dirs(cargo)).toEqual(["crates/core"]);

    const uv = await discoverOnDisk({
      "pyproject.toml": '[tool.uv.workspace]\nmembers = ["libs/*"]\nexclude = ["libs/old"]\n',
      "libs/new/pyproject.toml": '[project]\nname = "New_Lib"\n',
      "libs/old/pyproject.toml": '[project]\nname = "old"\n',
    });
    expect(uv.packages.map((p) => [p.dir, p.name])).toEqual([["libs/new", "new-lib"]]);
  });
});

describe("nested workspaces", () => {
  it("includes a workspace inside a package, with commands run from the nested root and a note", async () => {
    const ws = await discoverOnDisk({
      "package.json": { workspaces: ["packages/*"] },
      "packages/web/package.json": nodePackage("web"),
      "packages/tools/package.json": nodePackage("tools", {}, { workspaces: ["plugins/*"] }),
      "packages/tools/plugins/lint/package.json": nodePackage("tools-lint"),
    });
    expect(dirs(ws)).toEqual(["packages/tools", "packages/tools/plugins/lint", "packages/web"]);
    const lint = ws.packages.find((p) => p.name === "tools-lint")!;
    expect(lint.workspaceRoot).toBe("packages/tools");
    expect(inferVerifyCommand(lint)).toEqual({
      command: "npm test -w tools-lint",
      cwd: "packages/tools",
      source: "inferred",
    });
    expect(ws.warnings).toEqual([
      {
        code: "nested-workspace",
        file: "packages/tools/package.json",
        message:
          "packages/tools declares its own workspace (npm); its 1 package(s) are included and their commands run from packages/tools.",
      },
    ]);
  });

  it("finds a Cargo workspace nested in a Node package (a native addon)", async () => {
    const ws = await discoverOnDisk({
      "package.json": { workspaces: ["packages/*"] },
      "packages/native/package.json": nodePackage("@acme/native"),
      "packages/native/Cargo.toml": '[workspace]\nmembers = ["crates/*"]\n',
      "packages/native/crates/bindings/Cargo.toml": '[package]\nname = "bindings"\n',
    });
    const crate = ws.packages.find((p) => p.name === "bindings")!;
    expect(crate).toMatchObject({
      dir: "packages/native/crates/bindings",
      ecosystem: "rust",
      workspaceRoot: "packages/native",
    });
    expect(inferVerifyCommand(crate)?.command).toBe("cargo test -p bindings");
    expect(ws.tools).toContain("cargo");
  });
});

describe("entries listed twice", () => {
  it("counts a repeated entry once and says so", async () => {
    const ws = await discoverOnDisk({
      "package.json": { workspaces: ["packages/*", "packages/web", "packages/*"] },
      "packages/web/package.json": nodePackage("web"),
    });
    expect(dirs(ws)).toEqual(["packages/web"]);
    expect(ws.warnings).toEqual([
      {
        code: "duplicate-entry",
        file: "package.json",
        message: '"packages/*" is listed twice in workspaces of package.json; it counts once.',
      },
    ]);
  });

  it("warns when two packages share a name and resolves dependencies to the first", async () => {
    const ws = await discoverOnDisk({
      "package.json": { workspaces: ["apps/*", "libs/*"] },
      "apps/web/package.json": nodePackage("web", { ui: "*" }),
      "libs/ui/package.json": nodePackage("ui"),
      "libs/ui-copy/package.json": nodePackage("ui"),
    });
    expect(ws.warnings.map((w) => w.code)).toEqual(["duplicate-name"]);
    expect(ws.warnings[0]!.message).toContain('Two packages are named "ui": libs/ui and libs/ui-copy');
    expect(ws.packages.find((p) => p.name === "web")!.dependencies).toEqual(["ui"]);
  });

  it("counts a go.work module used twice once", async () => {
    const ws = await discoverOnDisk({
      "go.work": "go 1.22\nuse ./a\nuse (\n  ./a\n)\n",
      "a/go.mod": "module example.com/a\n",
    });
    expect(dirs(ws)).toEqual(["a"]);
    expect(ws.warnings).toEqual([
      {
        code: "duplicate-entry",
        file: "go.work",
        message: '"use ./a" (line 4 of go.work) is listed twice; it counts once.',
      },
    ]);
  });
});

describe("entries that match nothing", () => {
  it("names the glob that matches nothing and the explicit directory that is missing or has no manifest", async () => {
    const ws = await discoverOnDisk({
      "package.json": { workspaces: ["packages/*", "libs/*", "tools/gone", "docs"] },
      "packages/web/package.json": nodePackage("web"),
      "docs/index.md": "# docs",
    });
    expect(dirs(ws)).toEqual(["packages/web"]);
    expect(ws.warnings.map((w) => w.message)).toEqual([
      '"libs/*" in workspaces of package.json matches no directory with a package.json.',
      '"tools/gone" in workspaces of package.json does not exist in the repository.',
      '"docs" in workspaces of package.json has no package.json (docs/package.json); it is not a package.',
    ]);
    expect(ws.requiredDirs).toEqual([]);
  });

  it("reports a go.work use directive and a Cargo member that do not exist", async () => {
    const go = await discoverOnDisk({ "go.work": "use ./svc/missing\n", "README.md": "" });
    expect(go.warnings.map((w) => w.message)).toEqual([
      '"use ./svc/missing" (line 1 of go.work) does not exist in the repository.',
    ]);
    const cargo = await discoverOnDisk({
      "Cargo.toml": '[workspace]\nmembers = ["crates/a", "crates/b"]\n',
      "crates/a/Cargo.toml": '[package]\nname="a"\n',
    });
    expect(dirs(cargo)).toEqual(["crates/a"]);
    expect(cargo.warnings.map((w) => w.code)).toEqual(["missing-manifest"]);
    expect(cargo.requiredDirs).toEqual(["crates/a"]);
  });
});

describe("malformed files", () => {
  it("reports a malformed pnpm-workspace.yaml with its line, and falls back to package.json workspaces", async () => {
    const ws = await discoverOnDisk({
      "package.json": { workspaces: ["packages/*"] },
      "pnpm-workspace.yaml": "packages:\n  - 'packages/*'\n   - broken: [\n",
      "packages/web/package.json": nodePackage("web"),
    });
    expect(dirs(ws)).toEqual(["packages/web"]);
    expect(ws.warnings).toHaveLength(1);
    expect(ws.warnings[0]).toMatchObject({ code: "malformed-file", file: "pnpm-workspace.yaml" });
    expect(ws.warnings[0]!.message).toMatch(/^pnpm-workspace\.yaml is not valid YAML at line 3, column \d+ \(/);
  });

  it("reports a pnpm-workspace.yaml whose packages is not a list", async () => {
    const ws = await discoverOnDisk({ "package.json": {}, "pnpm-workspace.yaml": "packages: packages/*\n" });
    expect(ws.warnings.map((w) => w.message)).toEqual([
      '"packages" in pnpm-workspace.yaml must be a list of globs; it was ignored.',
    ]);
    expect(dirs(ws)).toEqual(["."]);
  });

  it("skips a member with invalid JSON or TOML and keeps the others", async () => {
    const ws = await discoverOnDisk({
      "package.json": { workspaces: ["packages/*", 42] },
      "packages/ok/package.json": nodePackage("ok"),
      "packages/bad/package.json": "{ name: ",
      "Cargo.toml": "[workspace\nmembers = [",
    });
    expect(dirs(ws)).toEqual(["packages/ok"]);
    const messages = ws.warnings.map((w) => w.message).join("\n");
    expect(messages).toContain("packages/bad/package.json is not valid JSON");
    expect(messages).toContain("Cargo.toml is not valid TOML");
    expect(messages).toContain("workspaces in package.json has an entry that is not a path: 42");
  });

  it("refuses entries that leave the repository", async () => {
    const ws = await discoverOnDisk({ "package.json": { workspaces: ["../elsewhere/*"] } });
    expect(ws.warnings.map((w) => w.code)).toEqual(["invalid-entry"]);
    expect(dirs(ws)).toEqual(["."]);
  });
});

describe("repositories without a workspace", () => {
  it.each([
    ["Node", { "package.json": { name: "app", scripts: { test: "jest" } }, "src/a.js": "" }, "npm test"],
    ["Go", { "go.mod": "module example.com/app\n", "main.go": "package main" }, "go test ./..."],
    ["Rust", { "Cargo.toml": '[package]\nname = "app"\n' }, "cargo test -p app"],
    ["Python", { "pyproject.toml": '[project]\nname = "app"\n' }, "pytest"],
  ])("%s: one package at the root", async (_, files, verify) => {
    const ws = await discoverWorkspace(
      createMemoryReader(
        Object.fromEntries(Object.entries(files).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])),
      ),
    );
    expect(ws.tools).toEqual(["single"]);
    expect(dirs(ws)).toEqual(["."]);
    expect(inferVerifyCommand(ws.packages[0]!)?.command).toBe(verify);
  });

  it("an empty repository is one package of no ecosystem", async () => {
    const ws = await discoverWorkspace(createMemoryReader({ "README.md": "hi" }));
    expect(ws.packages).toMatchObject([{ dir: ".", ecosystem: "other" }]);
    expect(inferVerifyCommand(ws.packages[0]!)).toBeUndefined();
  });
});

describe("other declarations", () => {
  it("lerna.json packages, with lerna's npmClient", async () => {
    const ws = await discoverOnDisk({
      "package.json": { name: "root" },
      "lerna.json": { packages: ["modules/*"], npmClient: "yarn" },
      "modules/a/package.json": nodePackage("a", { b: "^1.0.0" }),
      "modules/b/package.json": nodePackage("b"),
    });
    expect(ws.tools).toEqual(expect.arrayContaining(["lerna", "yarn"]));
    expect(ws.packages.map((p) => [p.name, p.runner, p.dependencies])).toEqual([
      ["a", "yarn", ["b"]],
      ["b", "yarn", []],
    ]);
  });

  it("Poetry workspace with path dependencies", async () => {
    const ws = await discoverOnDisk({
      "pyproject.toml": '[tool.poetry]\nname = "root"\n\n[tool.poetry.workspace]\ninclude = ["lib/**"]\n',
      "lib/core/pyproject.toml": '[tool.poetry]\nname = "core"\n',
      "lib/app/pyproject.toml":
        '[tool.poetry]\nname = "app"\n\n[tool.poetry.dependencies]\npython = "^3.11"\ncore = { path = "../core", develop = true }\n',
    });
    expect(ws.tools).toEqual(["poetry"]);
    expect(ws.packages.map((p) => [p.dir, p.name, p.dependencies])).toEqual([
      ["lib/app", "app", ["core"]],
      ["lib/core", "core", []],
    ]);
  });

  it("Cargo workspace dependencies (`workspace = true`) and a root crate", async () => {
    const ws = await discoverOnDisk({
      "Cargo.toml":
        '[package]\nname = "cli"\n\n[dependencies]\nengine = { workspace = true }\n\n[workspace]\nmembers = ["engine"]\n\n[workspace.dependencies]\nengine = { path = "engine" }\n',
      "engine/Cargo.toml": '[package]\nname = "engine"\n\n[dev-dependencies]\nserde = "1"\n',
    });
    expect(ws.packages.map((p) => [p.dir, p.name, p.dependencies])).toEqual([
      [".", "cli", ["engine"]],
      ["engine", "engine", []],
    ]);
  });

  it("keeps the toolchain files of the root for the sparse clone and the read-only rule", async () => {
    const ws = await discoverOnDisk({
      "package.json": { workspaces: ["packages/*"] },
      "package-lock.json": "{}",
      "tsconfig.base.json": "{}",
      ".npmrc": "",
      "README.md": "",
      "packages/a/package.json": nodePackage("a"),
    });
    expect(ws.toolchainFiles).toEqual([".npmrc", "package-lock.json", "package.json", "tsconfig.base.json"]);
  });
});
