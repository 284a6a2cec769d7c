import { afterEach } from "vitest";
import { type Fleet, type FleetOptions, startFleet } from "./start-fleet.js";

/**
 * For a test file whose tests each need the whole fleet: call once at the top; the function it
 * returns starts a fleet for the running test, which is stopped after it whatever happened.
 */
export function useFleet(): (options?: FleetOptions) => Promise<Fleet> {
  let running: Fleet | undefined;
  afterEach(async () => {
    const fleet = running;
    running = undefined;
    await fleet?.stop();
  });
  return async (options) => {
    running = await startFleet(options);
    return running;
  };
}
