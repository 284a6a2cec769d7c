import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const INGEST_DIR = fileURLToPath(new URL("..", import.meta.url));

export interface IngestProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * The real ingest process (src/main.ts, run from TypeScript with the workspace "source"
 * condition), on a free port, with the given environment.
 */
export async function spawnIngest(env: Record<string, string>): Promise<IngestProcess> {
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", "src/main.ts"], {
    cwd: INGEST_DIR,
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`ingest did not start:\n${output}`)), 30_000);
    const check = () => {
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        child.stdout?.off("data", check);
        resolve(match[1]);
      }
    };
    child.stdout?.on("data", check);
    void exited.then((code) => reject(new Error(`ingest exited with ${code}:\n${output}`)));
  });
  return {
    url,
    child,
    output: () => output,
    exited,
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
