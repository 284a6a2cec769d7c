import { PermanentError, TransientError } from "@fixfleet/shared";
import Docker from "dockerode";
import { describe, expect, it } from "vitest";
import { callDocker } from "../docker/call-docker.js";
import { toSandboxError } from "./to-sandbox-error.js";

describe("Docker errors in our taxonomy", () => {
  it("calls a gone daemon transient, with a readable reason", async () => {
    const docker = new Docker({ socketPath: "/nonexistent/docker.sock" });
    const error = await callDocker("list containers", 5000, (abortSignal) =>
      docker.listContainers({ abortSignal }),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect(error.reason).toMatch(/^list containers: the Docker engine is unreachable/);
  });

  it("calls a dropped connection and a restarting daemon transient", () => {
    expect(toSandboxError(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }), "exec")).toBeInstanceOf(
      TransientError,
    );
    const restarting = Object.assign(new Error("(HTTP code 409) unexpected - Container abc is restarting"), {
      statusCode: 409,
      json: { message: "Container abc is restarting, wait until the container is running" },
    });
    expect(toSandboxError(restarting, "exec")).toBeInstanceOf(TransientError);
  });

  it("calls what the engine refuses permanent, in the engine's words", () => {
    const e = toSandboxError(
      Object.assign(new Error("(HTTP code 404) no such container - No such image: x:y "), {
        statusCode: 404,
        json: { message: "No such image: x:y" },
      }),
      "create the sandbox container",
    );
    expect(e).toBeInstanceOf(PermanentError);
    expect(e.reason).toBe("create the sandbox container: No such image: x:y");
  });

  it("bounds a call that never answers", async () => {
    const started = Date.now();
    const error = await callDocker("hang", 100, () => new Promise<never>(() => {})).catch((e: TransientError) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect(error.code).toBe("docker_timeout");
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
