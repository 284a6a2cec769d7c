import { randomUUID } from "node:crypto";
import { inject } from "vitest";
import "./provided-context.js";

/** The real Redis of this test project (see global-setup.ts). */
export function testRedisUrl(): string {
  return inject("redisUrl");
}

/** Whether Docker tests can run here; under CI=true this is always true or the run failed. */
export function dockerAvailable(): boolean {
  return inject("dockerAvailable");
}

/**
 * A key prefix of its own for one test, so test files running at once on one Redis never see
 * each other's queues and keys.
 */
export function uniquePrefix(label = "t"): string {
  return `${label}-${randomUUID().slice(0, 8)}`;
}
