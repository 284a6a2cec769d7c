import type { ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { ResponseMessage } from "./build-message.js";
import { formatSse, streamEvents } from "./stream-events.js";
import type { RecordedRequest, StreamFault } from "./types.js";

/** Streams a message as server-sent events, applying a stream fault if one is due. */
export async function writeStream(
  res: ServerResponse,
  record: RecordedRequest,
  message: ResponseMessage,
  options: { chunkChars: number; headers: Record<string, string>; fault: StreamFault | undefined },
): Promise<void> {
  record.status = 200;
  record.response = message;
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    ...options.headers,
  });
  const { fault } = options;
  const events = streamEvents(message, options.chunkChars);
  for (let i = 0; i < events.length; i++) {
    if (res.destroyed) return;
    if (fault?.afterEvents === i) {
      if (fault.kind === "stream-delay") await sleep(fault.ms);
      if (fault.kind === "stream-disconnect") {
        record.status = 0;
        res.socket?.destroy();
        return;
      }
      if (fault.kind === "stream-error") {
        const body = {
          type: "error",
          error: { type: fault.type, message: fault.message },
          request_id: record.requestId,
        };
        record.response = body;
        res.end(formatSse({ event: "error", data: body }));
        return;
      }
    }
    const event = events[i];
    if (event) res.write(formatSse(event));
  }
  res.end();
}
