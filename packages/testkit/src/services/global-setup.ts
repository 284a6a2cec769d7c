import type { TestProject } from "vitest/node";
import "./provided-context.js";
import { ensureDockerEngine } from "./docker-engine.js";
import { type RedisServer, startRedisServer } from "./redis-server.js";
import { isCi, ServiceMissingError } from "./service-missing-error.js";

/**
 * Starts the real services a test project needs: its own redis-server (unless REDIS_URL is
 * given) and a Docker engine. With CI=true a missing service fails the run with what to install.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let redis: RedisServer | undefined;
  if (process.env.REDIS_URL) {
    project.provide("redisUrl", process.env.REDIS_URL);
  } else {
    redis = await startRedisServer();
    project.provide("redisUrl", redis.url);
  }
  try {
    await ensureDockerEngine();
    project.provide("dockerAvailable", true);
    project.provide("dockerProblem", "");
  } catch (error) {
    if (isCi() || !(error instanceof ServiceMissingError)) throw error;
    project.provide("dockerAvailable", false);
    project.provide("dockerProblem", error.message);
  }
  return async () => {
    await redis?.stop();
  };
}
