import { spawnSync } from "node:child_process";

/** `docker compose` (v2 plugin) where installed, else `docker-compose` (.ci/run installs it). */
export function composeCommand(): string[] {
  if (spawnSync("docker", ["compose", "version"], { encoding: "utf8" }).status === 0) return ["docker", "compose"];
  if (spawnSync("docker-compose", ["version"], { encoding: "utf8" }).status === 0) return ["docker-compose"];
  throw new Error("neither `docker compose` nor `docker-compose` is installed: apt-get install docker-compose");
}
