import { spawn, spawnSync } from "node:child_process";
import { openSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { ServiceMissingError } from "./service-missing-error.js";

const INSTALL_HINT =
  "Install Debian's docker.io (apt-get install docker.io) and run as root so the tests can start dockerd, or set DOCKER_HOST to a running engine.";

/** A dockerode client for DOCKER_HOST or the local socket (dockerode's own rules). */
export function dockerClient(): Docker {
  return new Docker();
}

async function answers(docker: Docker): Promise<boolean> {
  try {
    await Promise.race([
      docker.ping(),
      new Promise((_, reject) => setTimeout(() => reject(new Error("ping timed out")), 3_000)),
    ]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes sure a Docker engine answers. Where none does, the machine has `dockerd` and we are
 * root, it starts one in the background (it keeps running after the tests, like a service)
 * and waits for it.
 */
export async function ensureDockerEngine(options: { timeoutMs?: number } = {}): Promise<Docker> {
  const docker = dockerClient();
  if (await answers(docker)) return docker;
  if (process.env.DOCKER_HOST) {
    throw new ServiceMissingError(
      "Docker engine",
      INSTALL_HINT,
      `DOCKER_HOST=${process.env.DOCKER_HOST} does not answer`,
    );
  }
  const hasDockerd = spawnSync("dockerd", ["--version"], { stdio: "ignore" }).status === 0;
  if (!hasDockerd)
    throw new ServiceMissingError("Docker engine", INSTALL_HINT, "no engine answers and dockerd is not installed");
  if (process.getuid?.() !== 0)
    throw new ServiceMissingError("Docker engine", INSTALL_HINT, "no engine answers and starting dockerd needs root");
  const log = openSync(join(tmpdir(), "fixfleet-dockerd.log"), "a");
  const child = spawn("dockerd", [], { detached: true, stdio: ["ignore", log, log] });
  child.unref();
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (await answers(docker)) return docker;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new ServiceMissingError(
    "Docker engine",
    INSTALL_HINT,
    `dockerd did not answer in time; see ${join(tmpdir(), "fixfleet-dockerd.log")}`,
  );
}
