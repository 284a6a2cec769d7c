// biome-ignore-all lint/suspicious/noExplicitAny: compose files are untyped YAML trees.
/**
 * The compose stack end to end (issue 10): the real images built from infra/docker on this
 * machine, Redis from the compose file, the fakes of GitHub and Anthropic on this machine's
 * loopback. A signed report becomes a fix branch and a PR comment; then `--scale worker=3` and
 * a second report.
 *
 * What differs from an operator's `docker compose up`, and why:
 * - no registry: `redis:7`, `docker:27-dind` and `node:20-bookworm-slim` are stand-ins built from
 *   this machine's programs (support/stand-in-images.ts), and the fixfleet images build on the
 *   node stand-in plus this machine's CA bundle (npm reaches its registry through a TLS proxy);
 * - privileged containers are refused by this machine's engine, so the sandboxes run on the host
 *   engine: docker-compose.host-docker.yml, the documented alternative;
 * - the fakes listen on 127.0.0.1 and hand out 127.0.0.1 URLs (API, clone URLs), so ingest and
 *   the workers use the host's network (`network_mode: host`, derived from the repository's
 *   compose file below; everything else of it is used as it is).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  ensureDockerEngine,
  ensureSandboxImage,
  type FakeAnthropic,
  type FakeGitHub,
  freePort,
  report,
  scriptSumFix,
  seedCalculator,
  sendWebhook,
  startFakeAnthropic,
  startFakeGitHub,
  waitFor,
  webhookExample,
} from "@fixfleet/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { composeCommand } from "../test/support/compose-command.js";
import { ensureBuildBase, ensureDindStandIn, ensureRedisStandIn } from "../test/support/stand-in-images.js";

const ROOT = resolve(import.meta.dirname, "../../..");
const PROJECT = `fixfleet-e2e-${process.pid}`;
const WEBHOOK_SECRET = "e2e-webhook-secret-0123456789";

let gh: FakeGitHub;
let ai: FakeAnthropic;
let dir: string;
let ingestUrl: string;
let files: string[];

function compose(args: string[], options: { timeoutMs?: number } = {}): string {
  const [command, ...prefix] = composeCommand();
  const result = spawnSync(
    command as string,
    [...prefix, "-p", PROJECT, "--project-directory", ROOT, ...files, ...args],
    {
      cwd: ROOT,
      env: { ...process.env, FIXFLEET_ENV_FILE: join(dir, "fleet.env"), COMPOSE_DOCKER_CLI_BUILD: "0" },
      encoding: "utf8",
      timeout: options.timeoutMs ?? 15 * 60_000,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} failed (${result.status}):\n${result.stderr}\n${result.stdout}`.slice(-8000),
    );
  }
  return result.stdout;
}

function logs(): string {
  try {
    return compose(["logs", "--no-color", "--tail", "80"], { timeoutMs: 60_000 });
  } catch (error) {
    return String(error);
  }
}

async function dispatch(repo: { fullName: string; id: number; installationId: number }, body: Record<string, unknown>) {
  const payload = webhookExample("repository_dispatch");
  const [owner, name] = repo.fullName.split("/") as [string, string];
  payload.action = "fixfleet";
  payload.client_payload = body;
  payload.repository = {
    ...payload.repository,
    id: repo.id,
    name,
    full_name: repo.fullName,
    owner: { ...payload.repository.owner, login: owner },
  };
  payload.installation = { id: repo.installationId };
  return sendWebhook({
    url: `${ingestUrl}/webhooks/github`,
    secret: WEBHOOK_SECRET,
    event: "repository_dispatch",
    payload,
  });
}

beforeAll(async () => {
  const docker = await ensureDockerEngine();
  await Promise.all([ensureRedisStandIn(docker), ensureDindStandIn(docker), ensureSandboxImage(docker)]);
  const nodeImage = await ensureBuildBase(docker);
  gh = await startFakeGitHub();
  ai = await startFakeAnthropic();
  dir = mkdtempSync(join(tmpdir(), "fixfleet-compose-e2e-"));
  const [ingestPort, redisPort] = [await freePort(), await freePort()];
  ingestUrl = `http://127.0.0.1:${ingestPort}`;
  writeFileSync(
    join(dir, "fleet.env"),
    [
      `GITHUB_APP_ID=${gh.appId}`,
      `GITHUB_PRIVATE_KEY=${(gh.privateKey ?? "").replace(/\n/g, "\\n")}`,
      `GITHUB_WEBHOOK_SECRET=${WEBHOOK_SECRET}`,
      `GITHUB_API_URL=${gh.url}`,
      `GITHUB_OIDC_ISSUER=${gh.url}`,
      `ANTHROPIC_API_KEY=${ai.apiKey}`,
      `ANTHROPIC_BASE_URL=${ai.url}`,
      "BATCH_WINDOW_MS=500",
      "BATCH_MAX_WAIT_MS=5000",
      "WORKER_CONCURRENCY=1",
      "LOG_LEVEL=debug",
      "",
    ].join("\n"),
  );
  // The repository's compose file with ingest and workers on the host's network (see above).
  // Merge keys resolved here; written back as YAML 1.1 (what Compose reads) so "yes" stays a string.
  const base = parse(readFileSync(join(ROOT, "docker-compose.yml"), "utf8"), { merge: true }) as any;
  const e2e = {
    services: {
      redis: { ports: [`127.0.0.1:${redisPort}:6379`] },
      ingest: {
        network_mode: "host",
        ports: [],
        environment: { PORT: String(ingestPort), HOST: "127.0.0.1", REDIS_URL: `redis://127.0.0.1:${redisPort}` },
        healthcheck: {
          ...base.services.ingest.healthcheck,
          test: base.services.ingest.healthcheck.test.map((t: string) => t.replace(":3000/", `:${ingestPort}/`)),
        },
        build: { args: { NODE_IMAGE: nodeImage } },
      },
      worker: {
        network_mode: "host",
        // Each of the scaled workers listens on a port of its own choosing.
        environment: { REDIS_URL: `redis://127.0.0.1:${redisPort}`, METRICS_PORT: "0", WORKER_GRACE_MS: "5000" },
        group_add: [String(statSync("/var/run/docker.sock").gid)],
        build: { args: { NODE_IMAGE: nodeImage } },
      },
    },
  };
  const merged = structuredClone(base);
  for (const name of ["ingest", "worker"]) {
    delete merged.services[name].networks;
    delete merged.services[name].ports;
  }
  // Scaled workers on one network each listen on a port of their own choosing (METRICS_PORT=0),
  // which a fixed health check cannot know.
  merged.services.worker.healthcheck = { disable: true };
  writeFileSync(join(dir, "docker-compose.yml"), stringify(merged, { version: "1.1" }));
  writeFileSync(join(dir, "e2e.yml"), stringify(e2e, { version: "1.1" }));
  files = [
    "-f",
    join(dir, "docker-compose.yml"),
    "-f",
    join(ROOT, "docker-compose.host-docker.yml"),
    "-f",
    join(dir, "e2e.yml"),
  ];
  compose(["build"], { timeoutMs: 40 * 60_000 });
  compose(["up", "-d"]);
  await waitFor("ingest ready", async () => (await fetch(`${ingestUrl}/readyz`).catch(() => undefined))?.ok, {
    timeoutMs: 120_000,
    context: logs,
  });
}, 45 * 60_000);

afterAll(async () => {
  if (files)
    spawnSync(
      composeCommand()[0] as string,
      [...composeCommand().slice(1), "-p", PROJECT, ...files, "down", "-v", "--remove-orphans"],
      { cwd: ROOT, env: { ...process.env, FIXFLEET_ENV_FILE: join(dir, "fleet.env") } },
    );
  await ai?.stop();
  await gh?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 5 * 60_000);

describe("the compose stack", () => {
  it(
    "turns a signed report into a fix branch and one PR comment",
    async () => {
      const seed = await seedCalculator(gh, { name: "calc-one" });
      scriptSumFix(ai);
      const answer = await dispatch(seed, report(seed));
      expect(answer.status).toBe(202);
      const branch = `fixfleet/pr-${seed.pr}`;
      await waitFor("the fix branch", async () => (await gh.branches(seed.fullName))[branch], {
        timeoutMs: 300_000,
        context: logs,
      });
      expect(await gh.readFile(seed.fullName, branch, "src/sum.js")).toContain("return a + b;");
      await waitFor("the PR comment", () => gh.comments(seed.fullName, seed.pr).length > 0, {
        timeoutMs: 60_000,
        context: logs,
      });
      expect(gh.comments(seed.fullName, seed.pr)).toHaveLength(1);
      expect(gh.comments(seed.fullName, seed.pr)[0]?.body).toContain(branch);
    },
    10 * 60_000,
  );

  it(
    "scales to three workers and fixes the next report",
    async () => {
      compose(["up", "-d", "--scale", "worker=3"]);
      const running = compose(["ps", "-q", "worker"]).trim().split("\n").filter(Boolean);
      expect(running).toHaveLength(3);
      const seed = await seedCalculator(gh, { name: "calc-two" });
      scriptSumFix(ai);
      expect((await dispatch(seed, report(seed))).status).toBe(202);
      const branch = `fixfleet/pr-${seed.pr}`;
      await waitFor("the second fix branch", async () => (await gh.branches(seed.fullName))[branch], {
        timeoutMs: 300_000,
        context: logs,
      });
      await waitFor("the second PR comment", () => gh.comments(seed.fullName, seed.pr).length === 1, {
        timeoutMs: 60_000,
        context: logs,
      });
    },
    10 * 60_000,
  );
});
