import type { CacheUsage } from "./prompt-cache.js";

export type StopReason = "end_turn" | "max_tokens" | "stop_sequence" | "tool_use" | "pause_turn" | "refusal";

export interface TextOut {
  type: "text";
  text: string;
}

export interface ToolUseOut {
  type: "tool_use";
  id: string;
  name: string;
  input: Record<string, unknown>;
  /** Skip the check against the Anthropic-defined tool's input schema (to test bad inputs). */
  unchecked?: boolean;
}

export type OutputBlock = TextOut | ToolUseOut;

/** What the assistant answers: its blocks, or blocks with an explicit stop reason / size. */
export type AssistantTurn = OutputBlock[] | { content: OutputBlock[]; stopReason?: StopReason; outputTokens?: number };

/** A scripted turn, or a function of the request it answers (assert on it inside). */
export type ScriptedTurn = AssistantTurn | ((request: RecordedRequest) => AssistantTurn | Promise<AssistantTurn>);

export interface ToolResultView {
  toolUseId: string;
  /** The result's text (text blocks joined with newlines). */
  content: string;
  isError: boolean;
}

export type Usage = CacheUsage & { output_tokens: number; service_tier: "standard" };

/** One request the fake received, for assertions. */
export interface RecordedRequest {
  requestId: string;
  /** Wall-clock arrival time (ms), to check retry spacing. */
  receivedAt: number;
  method: string;
  route: string;
  /** HTTP status answered (0 while in flight or when the connection was dropped). */
  status: number;
  /** How the key came: `x-api-key`, or `Authorization: Bearer` (what SDK 1.x sends). */
  auth?: "x-api-key" | "bearer" | undefined;
  /** Lower-case header names; `x-api-key` and `authorization` are left out. */
  headers: Record<string, string>;
  body: unknown;
  model?: string | undefined;
  maxTokens?: number | undefined;
  stream: boolean;
  /** The system prompt's text (string, or text blocks joined with newlines). */
  system: string;
  tools: Array<{ name: string; type: string }>;
  messages: Array<{ role: string; content: unknown }>;
  /** The `tool_result` blocks of the last user turn. */
  toolResults: ToolResultView[];
  usage?: Usage | undefined;
  /** The JSON answered (message, token count or error body); for streams, the final message. */
  response?: unknown;
}

export type Route = "messages" | "count_tokens";

export type Fault =
  | {
      kind: "error";
      status: number;
      type: string;
      message: string;
      retryAfter?: number | undefined;
      route: Route;
    }
  | { kind: "delay"; ms: number; route: Route }
  | { kind: "disconnect"; route: Route };

export type StreamFault =
  | { kind: "stream-delay"; ms: number; afterEvents: number }
  | { kind: "stream-error"; afterEvents: number; type: string; message: string }
  | { kind: "stream-disconnect"; afterEvents: number };

export interface FakeAnthropicOptions {
  apiKey?: string;
  /** Accepted model ids; default: any id starting with `claude-`. */
  models?: readonly string[];
  /** Accepted `anthropic-version` values. */
  versions?: readonly string[];
  minCacheableTokens?: number;
  charsPerToken?: number;
  strictAlternation?: boolean;
  streamChunkChars?: number;
  /** Largest `max_tokens` accepted (the model's output limit). */
  maxOutputTokens?: number;
  now?: () => number;
}
