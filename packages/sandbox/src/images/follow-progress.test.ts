import { Readable } from "node:stream";
import { PermanentError, TransientError } from "@fixfleet/shared";
import Docker from "dockerode";
import { describe, expect, it } from "vitest";
import { followProgress } from "./follow-progress.js";

const docker = new Docker({ socketPath: "/nonexistent/docker.sock" }); // only its modem's parser is used
const lines = (...events: object[]) => Readable.from(events.map((e) => `${JSON.stringify(e)}\n`));

describe("followProgress", () => {
  it("returns the entries of a stream without errors", async () => {
    const events = await followProgress(docker, lines({ status: "Pulling" }, { status: "Done" }), "pull x");
    expect(events.map((e) => e.status)).toEqual(["Pulling", "Done"]);
  });

  it("turns an error entry into a permanent error with the engine's message", async () => {
    const stream = lines(
      { stream: "Step 1/2" },
      { errorDetail: { message: "manifest unknown" }, error: "manifest unknown" },
    );
    const error = (await followProgress(docker, stream, "pull x:1").catch((e: unknown) => e)) as PermanentError;
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.reason).toBe("pull x:1: manifest unknown");
  });

  it("calls a registry timeout transient", async () => {
    const stream = lines({ error: "Get https://r/v2/: net/http: request canceled (Client.Timeout exceeded)" });
    await expect(followProgress(docker, stream, "pull x")).rejects.toBeInstanceOf(TransientError);
  });
});
