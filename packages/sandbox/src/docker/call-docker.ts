import { TransientError } from "@fixfleet/shared";
import { toSandboxError } from "../errors/to-sandbox-error.js";

/**
 * Runs one Docker call with a deadline. The AbortSignal is handed to dockerode, so the HTTP
 * request is really torn down, and the deadline holds even where a call ignores it.
 */
export async function callDocker<T>(
  action: string,
  timeoutMs: number,
  call: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(
        new TransientError(`${action}: the Docker engine did not answer within ${timeoutMs} ms`, {
          code: "docker_timeout",
        }),
      );
    }, timeoutMs);
  });
  try {
    return await Promise.race([call(controller.signal), deadline]);
  } catch (error) {
    throw toSandboxError(error, action);
  } finally {
    clearTimeout(timer);
  }
}
