import type { WorkspaceTool } from "../src/types.js";
import { nodePackage } from "./fixture-repo.js";

/**
 * One fixture per ecosystem, each with three packages: `web` depends on `shared`, `api` stands
 * alone. The failing job's log points into `web`.
 */
export interface EcosystemCase {
  title: string;
  tools: WorkspaceTool[];
  files: Record<string, string | object>;
  web: { dir: string; name: string; verify: string };
  shared: { dir: string; name: string; verify: string };
  api: { dir: string };
  job: string;
  log: string;
  sharedChange: string;
}

export const cases: EcosystemCase[] = [
  {
    title: "npm workspaces",
    tools: ["npm"],
    files: {
      "package.json": { name: "acme", private: true, workspaces: ["packages/*"] },
      "package-lock.json": "{}",
      "packages/web/package.json": nodePackage("@acme/web", { "@acme/shared": "^1.0.0" }),
      "packages/shared/package.json": nodePackage("@acme/shared"),
      "packages/api/package.json": nodePackage("@acme/api"),
    },
    web: { dir: "packages/web", name: "@acme/web", verify: "npm test -w @acme/web" },
    shared: { dir: "packages/shared", name: "@acme/shared", verify: "npm test -w @acme/shared" },
    api: { dir: "packages/api" },
    job: "test",
    log: " FAIL  packages/web/src/app.test.ts > renders the header\nAssertionError: expected 1 to be 2",
    sharedChange: "packages/shared/src/format.ts",
  },
  {
    title: "pnpm workspaces",
    tools: ["pnpm"],
    files: {
      "package.json": { name: "acme", private: true },
      "pnpm-workspace.yaml": "packages:\n  - 'apps/*'\n  - 'libs/*'\n",
      "pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
      "apps/web/package.json": nodePackage("@acme/web", { "@acme/shared": "workspace:*" }),
      "libs/shared/package.json": nodePackage("@acme/shared"),
      "apps/api/package.json": nodePackage("@acme/api"),
    },
    web: { dir: "apps/web", name: "@acme/web", verify: "pnpm --filter @acme/web test" },
    shared: { dir: "libs/shared", name: "@acme/shared", verify: "pnpm --filter @acme/shared test" },
    api: { dir: "apps/api" },
    job: "test (apps/web)",
    log: "ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL  @acme/web@1.0.0 test: `vitest run`\nExit status 1",
    sharedChange: "libs/shared/index.ts",
  },
  {
    title: "yarn workspaces ({ packages } form)",
    tools: ["yarn"],
    files: {
      "package.json": { name: "acme", private: true, workspaces: { packages: ["packages/*"], nohoist: [] } },
      "yarn.lock": "# yarn lockfile v1\n",
      "packages/web/package.json": nodePackage("web", { shared: "1.0.0" }),
      "packages/shared/package.json": nodePackage("shared"),
      "packages/api/package.json": nodePackage("api"),
    },
    web: { dir: "packages/web", name: "web", verify: "yarn workspace web test" },
    shared: { dir: "packages/shared", name: "shared", verify: "yarn workspace shared test" },
    api: { dir: "packages/api" },
    job: "test (web)",
    log: "error Command failed with exit code 1.",
    sharedChange: "packages/shared/lib/index.js",
  },
  {
    title: "turbo over npm workspaces",
    tools: ["turbo", "npm"],
    files: {
      "package.json": {
        name: "acme",
        private: true,
        workspaces: ["apps/*", "packages/*"],
        packageManager: "npm@10.8.0",
      },
      "turbo.json": { tasks: { test: { dependsOn: ["^build"] } } },
      "apps/web/package.json": nodePackage("web", {}, { devDependencies: { "@acme/shared": "*" } }),
      "packages/shared/package.json": nodePackage("@acme/shared"),
      "apps/api/package.json": nodePackage("api"),
    },
    web: { dir: "apps/web", name: "web", verify: "npm test -w web" },
    shared: { dir: "packages/shared", name: "@acme/shared", verify: "npm test -w @acme/shared" },
    api: { dir: "apps/api" },
    job: "ci",
    log: "web:test: FAIL /home/runner/work/acme/acme/apps/web/src/page.test.tsx\nweb:test: ERROR: command finished with error",
    sharedChange: "packages/shared/src/index.ts",
  },
  {
    title: "Nx with project.json",
    tools: ["nx"],
    files: {
      "package.json": { name: "acme", private: true },
      "nx.json": { targetDefaults: { test: { cache: true } } },
      "apps/web/project.json": { name: "web", implicitDependencies: ["shared"], targets: { test: {} } },
      "libs/shared/project.json": { name: "shared", targets: { test: {} } },
      "apps/api/project.json": { name: "api", targets: { test: {} } },
    },
    web: { dir: "apps/web", name: "web", verify: "npx nx test web" },
    shared: { dir: "libs/shared", name: "shared", verify: "npx nx test shared" },
    api: { dir: "apps/api" },
    job: "nx affected -t test",
    log: " NX   Running target test for project web\n FAIL apps/web/src/app/app.spec.ts",
    sharedChange: "libs/shared/src/lib/shared.ts",
  },
  {
    title: "Cargo workspace",
    tools: ["cargo"],
    files: {
      "Cargo.toml": '[workspace]\nresolver = "2"\nmembers = ["crates/*"]\n',
      "Cargo.lock": "version = 3\n",
      "crates/web/Cargo.toml":
        '[package]\nname = "web"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nshared = { path = "../shared" }\n',
      "crates/web/src/lib.rs": "pub fn f() {}\n",
      "crates/shared/Cargo.toml": '[package]\nname = "shared"\nversion = "0.1.0"\nedition = "2021"\n',
      "crates/shared/src/lib.rs": "pub fn g() {}\n",
      "crates/api/Cargo.toml": '[package]\nname = "api"\nversion = "0.1.0"\nedition = "2021"\n',
      "crates/api/src/lib.rs": "pub fn h() {}\n",
    },
    web: { dir: "crates/web", name: "web", verify: "cargo test -p web" },
    shared: { dir: "crates/shared", name: "shared", verify: "cargo test -p shared" },
    api: { dir: "crates/api" },
    job: "cargo test",
    log: "error[E0308]: mismatched types\n --> crates/web/src/lib.rs:3:5\nerror: could not compile `web` (lib) due to 1 previous error",
    sharedChange: "crates/shared/src/lib.rs",
  },
  {
    title: "go.work",
    tools: ["go-work"],
    files: {
      "go.work": "go 1.22\n\nuse (\n\t./services/web\n\t./services/api // the API\n\t./libs/shared\n)\n",
      "services/web/go.mod":
        "module example.com/acme/web\n\ngo 1.22\n\nrequire example.com/acme/shared v0.0.0\n\nreplace example.com/acme/shared => ../../libs/shared\n",
      "services/api/go.mod": "module example.com/acme/api\n\ngo 1.22\n",
      "libs/shared/go.mod": "module example.com/acme/shared\n\ngo 1.22\n",
    },
    web: { dir: "services/web", name: "example.com/acme/web", verify: "go test ./services/web/..." },
    shared: { dir: "libs/shared", name: "example.com/acme/shared", verify: "go test ./libs/shared/..." },
    api: { dir: "services/api" },
    job: "go test",
    log: "--- FAIL: TestHandler (0.00s)\n    handler_test.go:12: got 500\nFAIL\nFAIL\texample.com/acme/web\t0.004s",
    sharedChange: "libs/shared/strings.go",
  },
  {
    title: "uv workspace",
    tools: ["uv"],
    files: {
      "pyproject.toml":
        '[project]\nname = "acme"\nversion = "0.1.0"\n\n[tool.uv.workspace]\nmembers = ["packages/*"]\n',
      "uv.lock": "version = 1\n",
      "packages/web/pyproject.toml":
        '[project]\nname = "acme-web"\nversion = "0.1.0"\ndependencies = ["acme_shared>=0.1", "httpx"]\n\n[tool.uv.sources]\nacme-shared = { workspace = true }\n',
      "packages/shared/pyproject.toml": '[project]\nname = "acme-shared"\nversion = "0.1.0"\n',
      "packages/api/pyproject.toml": '[project]\nname = "acme-api"\nversion = "0.1.0"\n',
    },
    web: { dir: "packages/web", name: "acme-web", verify: "pytest packages/web" },
    shared: { dir: "packages/shared", name: "acme-shared", verify: "pytest packages/shared" },
    api: { dir: "packages/api" },
    job: "pytest",
    log: "FAILED packages/web/tests/test_views.py::test_index - assert 500 == 200\n1 failed, 12 passed",
    sharedChange: "packages/shared/src/acme_shared/util.py",
  },
];
