import type Docker from "dockerode";
import { callDocker } from "../docker/call-docker.js";
import { isNotFound } from "../errors/to-sandbox-error.js";
import type { HeartbeatStore } from "./heartbeats.js";
import { expiresAt, LABEL_EXPIRES, LABEL_FLEET, LABEL_JOB, LABEL_SANDBOX, LABEL_WORKER } from "./labels.js";

export interface ReapOptions {
  /** The reaping worker: its own live sandboxes are kept until they expire. */
  workerId: string;
  heartbeats: HeartbeatStore;
  /** A worker silent this long is gone, and its sandboxes are orphans (default 90 s). */
  staleAfterMs?: number;
  /** Only sandboxes labelled with this fleet are considered (see LABEL_FLEET). */
  fleet?: string;
  now?: () => number;
  callTimeoutMs?: number;
}

export interface ReapReport {
  containers: string[];
  volumes: string[];
  failures: { name: string; reason: string }[];
}

/** Only what carries every one of our labels is ever considered. */
const OUR_LABELS = [`${LABEL_SANDBOX}=1`, LABEL_JOB, LABEL_WORKER, LABEL_EXPIRES];

/**
 * One pass: removes sandbox containers (in any state, `created` included) and volumes whose
 * time to live is over or whose worker stopped sending heartbeats.
 */
export async function reapSandboxes(docker: Docker, options: ReapOptions): Promise<ReapReport> {
  const now = (options.now ?? Date.now)();
  const staleAfterMs = options.staleAfterMs ?? 90_000;
  const timeoutMs = options.callTimeoutMs ?? 30_000;
  const report: ReapReport = { containers: [], volumes: [], failures: [] };

  const label = options.fleet ? [...OUR_LABELS, `${LABEL_FLEET}=${options.fleet}`] : OUR_LABELS;
  const containers = await callDocker("list sandbox containers", timeoutMs, (abortSignal) =>
    docker.listContainers({ all: true, filters: { label }, abortSignal }),
  );
  const volumes =
    (
      await callDocker("list sandbox volumes", timeoutMs, (abortSignal) =>
        docker.listVolumes({ filters: { label }, abortSignal }),
      )
    ).Volumes ?? [];

  const workers = new Set<string>();
  for (const labels of [...containers.map((c) => c.Labels), ...volumes.map((v) => v.Labels)]) {
    const worker = labels?.[LABEL_WORKER];
    if (worker && worker !== options.workerId) workers.add(worker);
  }
  const seen = await options.heartbeats.lastSeen([...workers]);
  const doomed = (labels: Record<string, string> | null | undefined, createdAt: number): boolean => {
    const expires = expiresAt(labels ?? undefined);
    if (expires === undefined || expires <= now) return true;
    const worker = labels?.[LABEL_WORKER];
    if (!worker || worker === options.workerId) return false;
    const last = seen.get(worker);
    // A worker never heard of (another fleet's Redis, a record already forgotten) is judged by
    // the sandbox's age instead: nothing younger than staleAfterMs is taken for an orphan.
    if (last === undefined) return !(now - createdAt <= staleAfterMs);
    return now - last > staleAfterMs;
  };

  for (const c of containers) {
    if (!doomed(c.Labels, c.Created * 1000)) continue;
    const name = c.Names?.[0]?.replace(/^\//, "") ?? c.Id;
    try {
      await callDocker(`remove sandbox container ${name}`, timeoutMs, (abortSignal) =>
        docker.getContainer(c.Id).remove({ force: true, v: true, abortSignal }),
      );
      report.containers.push(name);
    } catch (error) {
      if (isNotFound(error)) continue;
      report.failures.push({ name, reason: (error as Error).message });
    }
  }
  for (const v of volumes) {
    if (!doomed(v.Labels, Date.parse((v as { CreatedAt?: string }).CreatedAt ?? "") || 0)) continue;
    try {
      await callDocker(`remove sandbox volume ${v.Name}`, timeoutMs, (abortSignal) =>
        docker.getVolume(v.Name).remove({ abortSignal }),
      );
      report.volumes.push(v.Name);
    } catch (error) {
      if (isNotFound(error)) continue;
      report.failures.push({ name: v.Name, reason: (error as Error).message });
    }
  }
  return report;
}
