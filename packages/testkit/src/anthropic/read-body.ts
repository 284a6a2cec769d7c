import type { IncomingMessage } from "node:http";
import { ApiError } from "./api-error.js";

const MAX_BODY_BYTES = 32 * 1024 * 1024; // the Messages API's request size limit

/** The request body, refused with the API's 413 once it passes the size limit. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ApiError("request_too_large", "Request exceeds the maximum allowed number of bytes."));
        req.destroy();
        return;
      }
      parts.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(parts)));
    req.on("error", reject);
  });
}
