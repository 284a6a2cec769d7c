// biome-ignore-all lint/suspicious/noExplicitAny: compose and manifest files are untyped YAML/JSON trees.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ingestEnv, workerEnv } from "@fixfleet/shared";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { composeCommand } from "./support/compose-command.js";

const ROOT = resolve(import.meta.dirname, "../../..");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

/** The variable names of CONTRACT.md §1 (the contract sits beside the repository). */
function contractVariables(): string[] {
  const contract = readFileSync(resolve(ROOT, "../shared/CONTRACT.md"), "utf8");
  const section = contract.split("## 1.")[1]?.split("\n## ")[0] ?? "";
  const names = new Set<string>();
  for (const line of section.split("\n")) {
    if (!line.startsWith("| `")) continue;
    const firstCell = line.split("|")[1] ?? "";
    for (const m of firstCell.matchAll(/`([A-Z][A-Z0-9_]+)`/g)) names.add(m[1] as string);
  }
  return [...names];
}

describe(".env.example", () => {
  it("lists every variable of the contract", () => {
    const variables = contractVariables();
    expect(variables).toContain("REDIS_URL");
    expect(variables).toContain("DASHBOARD_PASSWORD");
    expect(variables.length).toBeGreaterThanOrEqual(22);
    const listed = new Set([...read(".env.example").matchAll(/^#?\s?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    expect(variables.filter((v) => !listed.has(v))).toEqual([]);
  });

  it("lists every variable ingest and the worker read, tunables included", () => {
    const listed = new Set([...read(".env.example").matchAll(/^#?\s?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    const known = [...Object.keys(ingestEnv), ...Object.keys(workerEnv)];
    expect(known).toContain("BUDGET_TOKENS_PER_FIX");
    expect(known.filter((v) => !listed.has(v))).toEqual([]);
  });

  it("shows the defaults the code has", () => {
    const example = read(".env.example");
    for (const [name, spec] of Object.entries({ ...ingestEnv, ...workerEnv })) {
      const line = new RegExp(`^# ${name}=(.*)$`, "m").exec(example);
      const fallback = (spec as { default?: string }).default;
      // A commented-out line is the default, so it must say what the default really is.
      if (line && fallback !== undefined) expect(`${name}=${line[1]}`).toBe(`${name}=${fallback}`);
    }
  });
});

describe("docker-compose.yml", () => {
  const compose = parse(read("docker-compose.yml")) as any;
  const { redis, ingest, worker, dind } = compose.services;

  it("runs Redis with AOF, no eviction, a health check and a volume", () => {
    const args = redis.command.join(" ");
    expect(args).toMatch(/--appendonly yes/);
    expect(args).toMatch(/--maxmemory-policy noeviction/);
    expect(redis.healthcheck.test).toEqual(["CMD", "redis-cli", "ping"]);
    expect(redis.volumes).toContain("redis-data:/data");
  });

  it("checks ingest's readiness and starts it after Redis", () => {
    expect(ingest.healthcheck.test.join(" ")).toContain("/readyz");
    expect(ingest.depends_on.redis.condition).toBe("service_healthy");
    expect(ingest.build.dockerfile).toBe("infra/docker/ingest.Dockerfile");
  });

  it("lets workers scale: no fixed name, no host port; sandboxes on the dind engine", () => {
    expect(worker.container_name).toBeUndefined();
    expect(worker.ports).toBeUndefined();
    expect(worker.environment.DOCKER_HOST).toBe("tcp://dind:2375");
    expect(worker.stop_grace_period).toBe("330s");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's own interpolation syntax.
    expect(worker.environment.WORKER_GRACE_MS).toBe("${WORKER_GRACE_MS:-300000}");
    expect(dind.privileged).toBe(true);
    expect(dind.ports).toBeUndefined();
    expect(dind.networks).toEqual(["sandbox-engine"]);
    expect(ingest.networks).not.toContain("sandbox-engine");
    expect(worker.networks).toContain("sandbox-engine");
  });

  it("is valid for docker-compose, alone and with the host-socket alternative", { timeout: 120_000 }, () => {
    const env = { ...process.env, COMPOSE_PROJECT_NAME: "fixfleet-config-check" };
    // A copy, where the example stands in for the operator's .env (which `env_file` requires).
    const dir = mkdtempSync(join(tmpdir(), "compose-"));
    try {
      for (const file of ["docker-compose.yml", "docker-compose.host-docker.yml"])
        cpSync(join(ROOT, file), join(dir, file));
      cpSync(join(ROOT, ".env.example"), join(dir, ".env"));
      const base = ["-f", join(dir, "docker-compose.yml")];
      const check = (args: string[]) =>
        spawnSync(composeCommand()[0] as string, [...composeCommand().slice(1), ...args], { env, encoding: "utf8" });
      const plain = check([...base, "config", "-q"]);
      expect(plain.stderr).toBe("");
      expect(plain.status).toBe(0);
      const host = check([...base, "-f", join(dir, "docker-compose.host-docker.yml"), "config"]);
      expect(host.status, host.stderr).toBe(0);
      const merged = parse(host.stdout) as any;
      expect(merged.services.worker.environment.DOCKER_HOST).toBe("unix:///var/run/docker.sock");
      expect(
        merged.services.worker.volumes.map((v: any) =>
          typeof v === "string" ? v.replace(/:rw$/, "") : `${v.source}:${v.target}`,
        ),
      ).toContain("/var/run/docker.sock:/var/run/docker.sock");
      expect(merged.services.dind.privileged).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the images", () => {
  for (const app of ["ingest", "worker"] as const) {
    it(`${app}: multi-stage, production dependencies only, non-root, with a health check`, () => {
      const dockerfile = read(`infra/docker/${app}.Dockerfile`);
      expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
      expect(dockerfile).toContain("ARG NODE_IMAGE=node:20-bookworm-slim");
      expect(dockerfile).toContain(`npm ci --omit=dev --workspace @fixfleet/${app}`);
      expect(dockerfile).toContain(`npx turbo run build --filter=@fixfleet/${app}...`);
      expect(dockerfile).toContain(`assemble-runtime.mjs @fixfleet/${app} /out`);
      const runtime = dockerfile.split(/^FROM /m)[2] as string;
      expect(runtime).toMatch(/^USER 1000:1000$/m);
      expect(runtime).toMatch(/^HEALTHCHECK .*\n\s+CMD .*healthz/m);
      expect(runtime).toContain(`CMD ["node", "apps/${app}/dist/main.js"]`);
    });
  }

  it("the runtime assembly takes an app's workspaces and production packages, and nothing for tests", {
    timeout: 120_000,
  }, () => {
    if (!existsSync(join(ROOT, "packages/shared/dist")) || !existsSync(join(ROOT, "apps/ingest/dist"))) {
      throw new Error("build first (npm run build): the runtime assembly copies dist/ folders");
    }
    const out = mkdtempSync(join(tmpdir(), "runtime-"));
    try {
      const log = execFileSync(
        process.execPath,
        [join(ROOT, "infra/docker/assemble-runtime.mjs"), "@fixfleet/ingest", out],
        {
          cwd: ROOT,
          encoding: "utf8",
        },
      );
      expect(log).toContain("runtime of @fixfleet/ingest: @fixfleet/ingest, @fixfleet/shared, @fixfleet/triage;");
      for (const present of ["apps/ingest/dist", "packages/shared/dist", "node_modules/bullmq", "node_modules/hono"]) {
        expect(existsSync(join(out, present)), present).toBe(true);
      }
      for (const absent of [
        "packages/testkit",
        "node_modules/vitest",
        "node_modules/turbo",
        "node_modules/@biomejs",
        "packages/agent",
      ]) {
        expect(existsSync(join(out, absent)), absent).toBe(false);
      }
      // Node resolves the app's dependencies inside the assembled tree alone.
      const probe = spawnSync(
        process.execPath,
        [
          "--input-type=module",
          "-e",
          "await import('@fixfleet/shared'); await import('@fixfleet/triage'); await import('bullmq'); await import('hono');",
        ],
        { cwd: join(out, "apps/ingest"), encoding: "utf8" },
      );
      expect(probe.stderr).toBe("");
      expect(probe.status).toBe(0);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe("the GitHub App manifest", () => {
  const manifest = JSON.parse(read("infra/github-app/manifest.json"));

  it("asks for exactly the permissions fixfleet uses", () => {
    expect(manifest.default_permissions).toEqual({
      contents: "write",
      pull_requests: "write",
      checks: "write",
      // write: a failure that does not reproduce gets its failed jobs re-run (rerun-failed-jobs).
      actions: "write",
      metadata: "read",
    });
    expect(manifest.public).toBe(false);
    expect(new URL(manifest.hook_attributes.url).pathname).toBe("/webhooks/github");
    expect(manifest.hook_attributes.active).toBe(true);
  });

  it("subscribes to the events ingest handles, each allowed by a granted permission", () => {
    expect(manifest.default_events).toEqual(
      expect.arrayContaining(["workflow_run", "repository_dispatch", "issue_comment", "push", "pull_request"]),
    );
    // GitHub refuses an event whose permission the App lacks.
    const needs: Record<string, string[]> = {
      workflow_run: ["actions"],
      repository_dispatch: ["contents"],
      push: ["contents"],
      pull_request: ["pull_requests"],
      issue_comment: ["issues", "pull_requests"],
    };
    for (const event of manifest.default_events) {
      expect(needs[event], event).toBeDefined();
      expect(
        needs[event]?.some((p) => manifest.default_permissions[p]),
        event,
      ).toBe(true);
    }
  });
});
