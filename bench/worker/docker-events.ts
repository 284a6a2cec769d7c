import type Docker from "dockerode";

export interface SandboxEvent {
  at: number;
  action: string;
  repo: string;
}

/**
 * Records the Docker engine's events for sandbox containers (they carry `fixfleet.repo`), so a
 * fix's time in the sandbox splits into create, copy-in, each exec and teardown as the engine
 * saw them, without touching the worker.
 */
export async function recordSandboxEvents(docker: Docker): Promise<{ events: SandboxEvent[]; stop(): void }> {
  const events: SandboxEvent[] = [];
  const stream = (await docker.getEvents({
    filters: { type: ["container"], label: ["fixfleet.repo"] },
  })) as NodeJS.ReadableStream & { destroy(): void };
  let buffer = "";
  stream.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    let newline = buffer.indexOf("\n");
    while (newline >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf("\n");
      if (!line) continue;
      const e = JSON.parse(line) as { Action: string; timeNano: number; Actor: { Attributes: Record<string, string> } };
      const repo = e.Actor.Attributes["fixfleet.repo"];
      if (repo) events.push({ at: e.timeNano / 1e6, action: e.Action.split(":")[0] ?? e.Action, repo });
    }
  });
  stream.on("error", () => {});
  return { events, stop: () => stream.destroy() };
}
