import { describe, expect, it } from "vitest";
import { ensureBusyboxImage } from "../src/images/busybox-image.js";
import { ensureDockerEngine } from "../src/services/docker-engine.js";
import { dockerAvailable } from "../src/services/test-context.js";

describe.skipIf(!dockerAvailable())("Docker engine", () => {
  it("is real: creates, runs and removes a container from a locally built image", async () => {
    const docker = await ensureDockerEngine();
    const image = await ensureBusyboxImage(docker);
    const container = await docker.createContainer({
      Image: image,
      Cmd: ["sh", "-c", "echo hello-from-$(id -u)"],
      HostConfig: { NetworkMode: "none" },
      Labels: { "fixfleet.test": "docker-engine" },
    });
    try {
      await container.start();
      const { StatusCode } = (await container.wait()) as { StatusCode: number };
      const logs = (await container.logs({ stdout: true, stderr: true })) as Buffer;
      expect(StatusCode).toBe(0);
      expect(logs.toString()).toContain("hello-from-65534");
    } finally {
      await container.remove({ force: true });
    }
    await expect(container.inspect()).rejects.toMatchObject({ statusCode: 404 });
  });
});
