import { createHash } from "node:crypto";
import type { ControlJobData } from "@fixfleet/shared";
import type { Queue } from "bullmq";
import { withRedis } from "../errors/redis-unavailable-error.js";

/**
 * Adds a control event to its queue once per webhook delivery: the job id is the delivery id
 * (or a hash of the event when GitHub sent none), so BullMQ keeps a redelivery from making a
 * second job. Nothing is acknowledged before the job is in Redis.
 */
export async function enqueueControlJob(queue: Queue, entry: ControlJobData): Promise<{ duplicate: boolean }> {
  const jobId = controlJobId(entry);
  return withRedis(async () => {
    if (await queue.getJob(jobId)) return { duplicate: true };
    await queue.add(entry.type, entry, { jobId });
    return { duplicate: false };
  });
}

/** BullMQ job ids may not contain ":" nor be all digits: delivery ids are GUIDs, prefixed anyway. */
export function controlJobId(entry: ControlJobData): string {
  if (entry.deliveryId) return `delivery-${entry.deliveryId}`;
  const { deliveryId: _none, ...event } = entry;
  return `event-${createHash("sha256").update(JSON.stringify(event)).digest("hex").slice(0, 32)}`;
}
