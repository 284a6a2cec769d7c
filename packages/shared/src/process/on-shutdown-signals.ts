import type { Logger } from "../logging/create-logger.js";

/**
 * SIGTERM and SIGINT run `stop` once (a second signal while stopping is ignored), then the
 * process exits 0, or 1 when stopping threw. Logs go out before the exit.
 */
export function onShutdownSignals(
  logger: Logger,
  stop: (signal: NodeJS.Signals) => Promise<void>,
  proc: Pick<NodeJS.Process, "on" | "exit"> = process,
): void {
  let stopping = false;
  const handle = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    void stop(signal).then(
      () => {
        logger.info("stopped");
        logger.flush?.();
        proc.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, "unclean stop");
        logger.flush?.();
        proc.exit(1);
      },
    );
  };
  proc.on("SIGTERM", () => handle("SIGTERM"));
  proc.on("SIGINT", () => handle("SIGINT"));
}
