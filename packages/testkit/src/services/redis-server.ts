import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { Redis } from "ioredis";
import { freePort } from "./free-port.js";
import { ServiceMissingError } from "./service-missing-error.js";

export interface RedisServer {
  url: string;
  port: number;
  /** Stops the server (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port, with an empty dataset. */
  start(): Promise<void>;
}

const INSTALL_HINT = "Install Debian's redis-server (apt-get install redis-server), or set REDIS_URL.";

export function redisServerInstalled(): boolean {
  return spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
}

/**
 * A real `redis-server` of our own on a free loopback port, without persistence. Tests never
 * touch a Redis they did not start or were not given.
 */
export async function startRedisServer(options: { port?: number } = {}): Promise<RedisServer> {
  if (!redisServerInstalled()) throw new ServiceMissingError("redis-server", INSTALL_HINT);
  const port = options.port ?? (await freePort());
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  async function start(): Promise<void> {
    const proc = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes"],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    child = proc;
    let stderr = "";
    proc.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    await waitForPing(url, 10_000, () =>
      proc.exitCode !== null ? `redis-server exited: ${stderr.trim()}` : undefined,
    );
  }

  async function stop(): Promise<void> {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once("exit", () => resolve());
      proc.kill("SIGTERM");
    });
  }

  await start();
  return { url, port, stop, start };
}

async function waitForPing(url: string, timeoutMs: number, failed: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const why = failed();
    if (why) throw new ServiceMissingError("redis-server", INSTALL_HINT, why);
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on("error", () => {});
    try {
      await client.connect();
      if ((await client.ping()) === "PONG") return;
    } catch {
      // not up yet
    } finally {
      client.disconnect();
    }
    if (Date.now() > deadline)
      throw new ServiceMissingError("redis-server", INSTALL_HINT, "did not answer PING in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}
