import { randomBytes } from "node:crypto";
import type Docker from "dockerode";
import { type FakeAnthropic, startFakeAnthropic } from "../anthropic/index.js";
import { type FakeGitHub, startFakeGitHub } from "../github/index.js";
import { ensureSandboxImage } from "../images/sandbox-image.js";
import { ensureDockerEngine } from "../services/docker-engine.js";
import { freePort } from "../services/free-port.js";
import { type RedisServer, startRedisServer } from "../services/redis-server.js";
import { sendWebhook, webhookExample } from "../webhooks/index.js";
import { type FleetProcess, startApp, waitFor } from "./fleet-process.js";

export interface Fleet {
  redis: RedisServer;
  gh: FakeGitHub;
  ai: FakeAnthropic;
  docker: Docker;
  sandboxImage: string;
  webhookSecret: string;
  ingest: FleetProcess;
  ingestUrl: string;
  workers: WorkerProcess[];
  startWorker(env?: Record<string, string>): Promise<WorkerProcess>;
  /** Sends a signed `repository_dispatch` carrying a failure report, as GitHub would deliver it. */
  dispatch(
    repo: { fullName: string; id: number; installationId: number },
    report: Record<string, unknown>,
  ): Promise<Response>;
  /** All processes' output, for a failing test's message. */
  logs(): string;
  stop(): Promise<void>;
}

export interface WorkerProcess extends FleetProcess {
  /** The worker's Prometheus endpoint. */
  metricsUrl: string;
}

export interface FleetOptions {
  batchWindowMs?: number;
  batchMaxWaitMs?: number;
  workerEnv?: Record<string, string>;
  /**
   * The fake GitHub delivers its webhooks (comments, labels, pushes, merges made with its
   * helpers or REST) to ingest, as the App's webhook would. Off by default: most tests send
   * exactly the deliveries they mean.
   */
  deliverWebhooks?: boolean;
}

/**
 * The whole product on this machine: a real redis-server of its own, ingest and workers as
 * separate processes from their built code, a real Docker engine with the sandbox image, and
 * the two services we cannot reach (GitHub, Anthropic) as fakes speaking their wire protocols.
 */
export async function startFleet(options: FleetOptions = {}): Promise<Fleet> {
  const docker = await ensureDockerEngine();
  const sandboxImage = await ensureSandboxImage(docker);
  const redis = await startRedisServer();
  const gh = await startFakeGitHub();
  const ai = await startFakeAnthropic();
  const webhookSecret = randomBytes(16).toString("hex");
  const fleetId = `test-${randomBytes(4).toString("hex")}`;
  const port = await freePort();
  const common = {
    REDIS_URL: redis.url,
    GITHUB_APP_ID: String(gh.appId),
    GITHUB_API_URL: gh.url,
    LOG_LEVEL: "debug",
  };
  const ingest = startApp("ingest", "ingest", {
    ...common,
    PORT: String(port),
    HOST: "127.0.0.1",
    GITHUB_WEBHOOK_SECRET: webhookSecret,
    GITHUB_OIDC_ISSUER: gh.url,
    BATCH_WINDOW_MS: String(options.batchWindowMs ?? 300),
    BATCH_MAX_WAIT_MS: String(options.batchMaxWaitMs ?? 5_000),
  });
  const ingestUrl = `http://127.0.0.1:${port}`;
  const workers: WorkerProcess[] = [];
  if (options.deliverWebhooks) gh.setWebhookTarget({ url: `${ingestUrl}/webhooks/github`, secret: webhookSecret });
  await waitFor("ingest to be ready", async () => (await fetch(`${ingestUrl}/readyz`)).ok, {
    timeoutMs: 30_000,
    context: () => ingest.output(),
  });

  const fleet: Fleet = {
    redis,
    gh,
    ai,
    docker,
    sandboxImage,
    webhookSecret,
    ingest,
    ingestUrl,
    workers,
    async startWorker(env = {}) {
      const metricsPort = await freePort();
      const process = startApp("worker", `worker-${workers.length + 1}`, {
        ...common,
        GITHUB_PRIVATE_KEY: gh.privateKey ?? "",
        ANTHROPIC_API_KEY: ai.apiKey,
        ANTHROPIC_BASE_URL: ai.url,
        SANDBOX_IMAGE: sandboxImage,
        // Its own fleet label: its reaper never judges other test runs' sandboxes on this engine.
        FLEET_ID: fleetId,
        METRICS_PORT: String(metricsPort),
        WORKER_CONCURRENCY: "2",
        WORKER_GRACE_MS: "5000",
        WORKER_LOCK_MS: "4000",
        ...options.workerEnv,
        ...env,
      });
      const worker: WorkerProcess = Object.assign(process, { metricsUrl: `http://127.0.0.1:${metricsPort}/metrics` });
      workers.push(worker);
      await waitFor(
        `${worker.name} to be up`,
        async () => (await fetch(`http://127.0.0.1:${metricsPort}/healthz`)).ok,
        {
          timeoutMs: 30_000,
          context: () => worker.output(),
        },
      );
      return worker;
    },
    async dispatch(repo, report) {
      const payload = webhookExample("repository_dispatch");
      const [owner, name] = repo.fullName.split("/") as [string, string];
      payload.action = "fixfleet";
      payload.client_payload = report;
      payload.repository = {
        ...payload.repository,
        id: repo.id,
        name,
        full_name: repo.fullName,
        owner: { ...payload.repository.owner, login: owner },
      };
      payload.installation = { ...(payload.installation ?? {}), id: repo.installationId };
      return sendWebhook({
        url: `${ingestUrl}/webhooks/github`,
        secret: webhookSecret,
        event: "repository_dispatch",
        payload,
      });
    },
    logs() {
      return [ingest, ...workers].map((p) => `=== ${p.name}\n${p.output().slice(-4000)}`).join("\n");
    },
    async stop() {
      for (const p of [...workers, ingest]) p.kill("SIGKILL");
      await Promise.all([...workers, ingest].map((p) => p.exited));
      await ai.stop();
      await gh.stop();
      await redis.stop();
    },
  };
  return fleet;
}
