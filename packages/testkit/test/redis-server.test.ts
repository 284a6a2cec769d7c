import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { startRedisServer } from "../src/services/redis-server.js";

describe("startRedisServer", () => {
  it("starts a real redis-server that can be stopped and started again", async () => {
    const server = await startRedisServer();
    const client = new Redis(server.url, { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
    client.on("error", () => {});
    try {
      await client.set("k", "v");
      expect(await client.get("k")).toBe("v");
      await server.stop();
      await expect(client.get("k")).rejects.toThrow();
      await server.start();
      await new Promise((r) => setTimeout(r, 300));
      expect(await client.ping()).toBe("PONG");
    } finally {
      client.disconnect();
      await server.stop();
    }
  });
});
