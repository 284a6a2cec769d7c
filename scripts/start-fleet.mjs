#!/usr/bin/env node
// `npm start`: ingest, worker and dashboard on one machine for a first try. Uses REDIS_URL when
// Redis answers there; otherwise starts a local redis-server child when one is installed;
// otherwise says exactly what to install. Missing GitHub or Anthropic settings are named with
// where to get them, before anything starts.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { createConnection } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const say = (line) => process.stderr.write(`fixfleet: ${line}\n`);

if (existsSync(join(root, ".env"))) {
  process.loadEnvFile(join(root, ".env"));
  say("read settings from .env");
}

const HOW_TO_GET = {
  GITHUB_APP_ID: "the App ID on your GitHub App's settings page (see README, 'Install the GitHub App')",
  GITHUB_WEBHOOK_SECRET: "the webhook secret you set when creating the GitHub App",
  GITHUB_PRIVATE_KEY:
    "a private key generated on the GitHub App's settings page (or GITHUB_PRIVATE_KEY_PATH to the .pem file)",
  ANTHROPIC_API_KEY: "an API key from the Anthropic Console (Settings → API keys)",
};
const missing = Object.keys(HOW_TO_GET).filter((name) =>
  name === "GITHUB_PRIVATE_KEY"
    ? !process.env.GITHUB_PRIVATE_KEY && !process.env.GITHUB_PRIVATE_KEY_PATH
    : !process.env[name],
);
if (missing.length > 0) {
  say("cannot start: these settings are missing (put them in .env or the environment; .env.example lists all):");
  for (const name of missing) say(`  ${name}: ${HOW_TO_GET[name]}`);
  process.exit(1);
}

for (const app of ["ingest", "worker"]) {
  if (!existsSync(join(root, "apps", app, "dist", "main.js"))) {
    say(`apps/${app} is not built: run \`npm run build\` first`);
    process.exit(1);
  }
}

function redisAnswers(url) {
  return new Promise((resolve) => {
    const { hostname, port } = new URL(url);
    const socket = createConnection({ host: hostname || "127.0.0.1", port: Number(port || 6379), timeout: 1_000 });
    const end = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once("connect", () => socket.write("*1\r\n$4\r\nPING\r\n"));
    socket.once("data", (d) => end(/^\+PONG|^-NOAUTH/.test(d.toString())));
    socket.once("timeout", () => end(false));
    socket.once("error", () => end(false));
  });
}

const children = [];
let stopping = false;
function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  setTimeout(() => process.exit(code), 100).unref();
  Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once("exit", r)) : null))).then(() =>
    process.exit(code),
  );
}
process.on("SIGINT", () => stopAll(0));
process.on("SIGTERM", () => stopAll(0));

function run(name, command, args, env) {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const prefix = (stream, out) => {
    let rest = "";
    stream.on("data", (chunk) => {
      const lines = (rest + chunk.toString()).split("\n");
      rest = lines.pop() ?? "";
      for (const line of lines) out.write(`[${name}] ${line}\n`);
    });
  };
  prefix(child.stdout, process.stdout);
  prefix(child.stderr, process.stderr);
  child.on("exit", (code, signal) => {
    if (!stopping) {
      say(`${name} stopped (${signal ?? `exit ${code}`}); stopping the fleet`);
      stopAll(code || 1);
    }
  });
  children.push(child);
  return child;
}

let redisUrl = process.env.REDIS_URL || "redis://127.0.0.1:6379";
if (!(await redisAnswers(redisUrl))) {
  if (process.env.REDIS_URL) {
    say(`Redis does not answer at REDIS_URL=${redisUrl.replace(/\/\/[^@]*@/, "//***@")}; start it or fix REDIS_URL`);
    process.exit(1);
  }
  if (spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status !== 0) {
    say("no Redis answers at redis://127.0.0.1:6379 and redis-server is not installed.");
    say("Install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) or set REDIS_URL.");
    process.exit(1);
  }
  const port = 6390;
  redisUrl = `redis://127.0.0.1:${port}`;
  const dir = join(root, ".fixfleet-redis");
  mkdirSync(dir, { recursive: true });
  say(`starting a local redis-server on ${redisUrl} (data in ${dir})`);
  run(
    "redis",
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--appendonly", "yes", "--dir", dir],
    {},
  );
  for (let i = 0; i < 50 && !(await redisAnswers(redisUrl)); i++) await new Promise((r) => setTimeout(r, 100));
}

const env = { REDIS_URL: redisUrl };
run("ingest", process.execPath, [join(root, "apps/ingest/dist/main.js")], env);
run("worker", process.execPath, [join(root, "apps/worker/dist/main.js")], env);
const port = process.env.PORT || "3000";
say(`ingest listening on http://127.0.0.1:${port} (webhooks: /webhooks/github, CI reports: /v1/failures)`);
say(
  process.env.DASHBOARD_USER
    ? `job dashboard: http://127.0.0.1:${port}/admin/queues`
    : "job dashboard is off: set DASHBOARD_USER and DASHBOARD_PASSWORD to turn it on at /admin/queues",
);
