#!/usr/bin/env node
// Wraps a tool's raw output in the shape of a GitHub Actions job log, as
// GET /repos/{o}/{r}/actions/jobs/{id}/logs returns it: a BOM, a UTC timestamp with 7 fractional
// digits on every line, `##[group]`/`##[endgroup]` around each step's header, the runner's own
// setup noise, masked secrets as `***`, and `##[error]Process completed with exit code N.`
// Usage: wrap-github-log.mjs --step "Run npm test" --command "npm test" --exit 1 output.txt
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({
  options: { step: { type: "string" }, command: { type: "string" }, exit: { type: "string", default: "1" } },
  allowPositionals: true,
});
const output = readFileSync(positionals[0], "utf8").replace(/\r\n/g, "\n").replace(/\n$/, "");
let clock = Date.parse("2026-11-29T09:14:02.000Z");
const lines = [];
const stamp = () => {
  clock += 37;
  return `${new Date(clock).toISOString().replace(/\.(\d{3})Z$/, ".$10000Z")}`;
};
const emit = (text) => lines.push(`${stamp()} ${text}`);

emit("##[group]Runner Image Provisioner");
emit("Hosted Compute Agent");
emit("Version: 20261118.424");
emit("##[endgroup]");
emit("##[group]Operating System");
emit("Ubuntu");
emit("24.04.3");
emit("LTS");
emit("##[endgroup]");
emit("##[group]GITHUB_TOKEN Permissions");
emit("Contents: read");
emit("Metadata: read");
emit("##[endgroup]");
emit("Secret source: Actions");
emit("Prepare workflow directory");
emit("Prepare all required actions");
emit("Getting action download info");
emit("Download action repository 'actions/checkout@v4' (SHA:11bd71901bbe5b1630ceea73d27597364c9af683)");
emit("Complete job name: test");
emit("##[group]Run actions/checkout@v4");
emit("with:");
emit("  repository: acme/shop");
emit("  token: ***");
emit("  ssh-strict: true");
emit("  persist-credentials: true");
emit("##[endgroup]");
emit("Syncing repository: acme/shop");
emit("##[group]Getting Git version info");
emit("Working directory is '/home/runner/work/shop/shop'");
emit("[command]/usr/bin/git version");
emit("git version 2.51.0");
emit("##[endgroup]");
emit("[command]/usr/bin/git config --local http.https://github.com/.extraheader AUTHORIZATION: basic ***");
emit("##[group]Fetching the repository");
emit(
  "[command]/usr/bin/git -c protocol.version=2 fetch --no-tags --prune --no-recurse-submodules --depth=1 origin +3f5e0c1d9b2a4e6f8a0b1c2d3e4f5a6b7c8d9e0f:refs/remotes/origin/main",
);
emit(" * [new ref]         3f5e0c1d9b2a4e6f8a0b1c2d3e4f5a6b7c8d9e0f -> origin/main");
emit("##[endgroup]");
emit("##[group]Run npm ci");
emit("\u001b[36;1mnpm ci\u001b[0m");
emit("shell: /usr/bin/bash -e {0}");
emit("env:");
emit("  NPM_TOKEN: ***");
emit("##[endgroup]");
for (let i = 0; i < 40; i++)
  emit(`npm warn deprecated some-old-package-${i}@1.0.${i}: this package is no longer supported`);
emit("added 412 packages, and audited 413 packages in 9s");
emit("found 0 vulnerabilities");
emit(`##[group]${values.step}`);
emit(`\u001b[36;1m${values.command}\u001b[0m`);
emit("shell: /usr/bin/bash -e {0}");
emit("env:");
emit("  DATABASE_URL: ***");
emit("##[endgroup]");
for (const line of output.split("\n")) emit(line);
emit(`##[error]Process completed with exit code ${values.exit}.`);
emit("Post job cleanup.");
emit("[command]/usr/bin/git version");
emit("git version 2.51.0");
emit("[command]/usr/bin/git config --local --unset-all http.https://github.com/.extraheader");
emit("Cleaning up orphan processes");
process.stdout.write(`\uFEFF${lines.join("\n")}\n`);
