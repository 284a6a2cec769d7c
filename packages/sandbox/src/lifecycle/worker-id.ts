import { randomBytes } from "node:crypto";
import { hostname } from "node:os";

/**
 * A worker id unique to this process: a restarted worker is a new worker, so the sandboxes of
 * the one before it are orphans the reaper removes once that one's heartbeat goes stale.
 */
export function newWorkerId(host = hostname()): string {
  return `${host}-${process.pid}-${randomBytes(3).toString("hex")}`;
}
