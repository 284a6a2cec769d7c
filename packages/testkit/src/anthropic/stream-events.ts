import type { ResponseMessage } from "./build-message.js";

export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

function chunks(value: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < value.length; i += size) out.push(value.slice(i, i + size));
  return out;
}

/**
 * The server-sent events the API streams for a message, in the documented order:
 * `message_start` (empty content, input usage), per block `content_block_start`, deltas
 * (`text_delta`, or `input_json_delta` whose `partial_json` pieces concatenate to the input,
 * starting with an empty one), `content_block_stop`; a `ping` after the first block start;
 * `message_delta` (stop reason, cumulative usage) and `message_stop`.
 */
export function streamEvents(message: ResponseMessage, chunkChars: number): SseEvent[] {
  const { usage } = message;
  const events: SseEvent[] = [
    {
      event: "message_start",
      data: {
        type: "message_start",
        message: { ...message, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } },
      },
    },
  ];
  const ping: SseEvent = { event: "ping", data: { type: "ping" } };
  if (message.content.length === 0) events.push(ping);
  message.content.forEach((block, index) => {
    if (block.type === "text") {
      events.push({
        event: "content_block_start",
        data: { type: "content_block_start", index, content_block: { type: "text", text: "" } },
      });
      if (index === 0) events.push(ping);
      for (const piece of chunks(block.text, chunkChars)) {
        events.push({
          event: "content_block_delta",
          data: { type: "content_block_delta", index, delta: { type: "text_delta", text: piece } },
        });
      }
    } else {
      events.push({
        event: "content_block_start",
        data: {
          type: "content_block_start",
          index,
          content_block: { type: "tool_use", id: block.id, name: block.name, input: {} },
        },
      });
      if (index === 0) events.push(ping);
      for (const piece of ["", ...chunks(JSON.stringify(block.input), chunkChars)]) {
        events.push({
          event: "content_block_delta",
          data: { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: piece } },
        });
      }
    }
    events.push({ event: "content_block_stop", data: { type: "content_block_stop", index } });
  });
  events.push({
    event: "message_delta",
    data: {
      type: "message_delta",
      delta: {
        stop_reason: message.stop_reason,
        stop_sequence: message.stop_sequence,
        stop_details: null,
        container: null,
      },
      usage: {
        input_tokens: usage.input_tokens,
        cache_creation_input_tokens: usage.cache_creation_input_tokens,
        cache_read_input_tokens: usage.cache_read_input_tokens,
        output_tokens: usage.output_tokens,
      },
    },
  });
  events.push({ event: "message_stop", data: { type: "message_stop" } });
  return events;
}

export const formatSse = ({ event, data }: SseEvent): string => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
