import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { ApiError, invalidRequest } from "./api-error.js";
import { authenticate } from "./authenticate.js";
import { buildMessage, emptyMessage, type ResponseMessage, ScriptError } from "./build-message.js";
import { describeRequest } from "./describe-request.js";
import { type FailOptions, FaultQueue, faultError } from "./fault-queue.js";
import { newApiKey, newRequestId } from "./ids.js";
import { PromptCache } from "./prompt-cache.js";
import { totalTokens } from "./prompt-segments.js";
import { readBody } from "./read-body.js";
import { TurnScript } from "./turn-script.js";
import type { FakeAnthropicOptions, RecordedRequest, Route, ScriptedTurn, Usage } from "./types.js";
import { type ValidationRules, validateCountTokens, validateCreateMessage } from "./validate-request.js";
import { writeStream } from "./write-stream.js";

export type { FailOptions } from "./fault-queue.js";

const DEFAULT_VERSIONS = ["2023-01-01", "2023-06-01", "2026-10-21"];
const ROUTES: Record<string, Route> = { "/v1/messages": "messages", "/v1/messages/count_tokens": "count_tokens" };

export interface FakeAnthropic {
  readonly url: string;
  readonly apiKey: string;
  /** `ANTHROPIC_BASE_URL` and `ANTHROPIC_API_KEY` for a process under test (the worker's config). */
  env(): { ANTHROPIC_BASE_URL: string; ANTHROPIC_API_KEY: string };
  /** Every request received, rejected ones included, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  readonly lastRequest: RecordedRequest | undefined;
  /** Accepted `POST /v1/messages` calls. */
  messageRequests(): RecordedRequest[];
  /** Mistakes of the script (a throwing turn function, a turn that does not fit, no turn left). */
  readonly scriptErrors: readonly Error[];
  readonly pendingTurns: number;
  script(...turns: ScriptedTurn[]): void;
  assertScriptDone(): void;
  fail(status: number, options?: FailOptions): void;
  delay(ms: number, options?: { times?: number; route?: Route }): void;
  disconnect(options?: { afterEvents?: number; route?: Route }): void;
  streamDelay(ms: number, options: { afterEvents: number; times?: number }): void;
  streamError(options: { afterEvents: number; type?: string; message?: string }): void;
  readonly cache: { clear(): void };
  reset(): void;
  stop(): Promise<void>;
}

function recordedHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name === "x-api-key" || name === "authorization" || value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

function newRecord(req: IncomingMessage, path: string): RecordedRequest {
  return {
    requestId: newRequestId(),
    receivedAt: Date.now(),
    method: req.method ?? "GET",
    route: path,
    status: 0,
    headers: recordedHeaders(req),
    body: undefined,
    stream: false,
    system: "",
    tools: [],
    messages: [],
    toolResults: [],
  };
}

/** Starts a fake of the Claude Messages API on 127.0.0.1 and a random port. */
export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const apiKey = options.apiKey ?? newApiKey();
  const versions = new Set(options.versions ?? DEFAULT_VERSIONS);
  const chunkChars = options.streamChunkChars ?? 16;
  const organizationId = randomUUID();
  const rules: ValidationRules = {
    isKnownModel: (model) => (options.models ? options.models.includes(model) : model.startsWith("claude-")),
    maxOutputTokens: options.maxOutputTokens ?? 128_000,
    strictAlternation: options.strictAlternation ?? false,
    charsPerToken: options.charsPerToken ?? 4,
  };
  const cache = new PromptCache({
    now: options.now ?? Date.now,
    minCacheableTokens: options.minCacheableTokens ?? 1024,
  });
  const requests: RecordedRequest[] = [];
  const script = new TurnScript();
  const faults = new FaultQueue();
  const sockets = new Set<Socket>();

  const baseHeaders = (record: RecordedRequest) => ({
    "request-id": record.requestId,
    "anthropic-organization-id": organizationId,
  });

  function send(res: ServerResponse, record: RecordedRequest, status: number, body: unknown, headers = {}) {
    record.status = status;
    record.response = body;
    res.writeHead(status, { "content-type": "application/json", ...baseHeaders(record), ...headers });
    res.end(JSON.stringify(body));
  }

  /** The assistant's answer: the next scripted turn, held to the request it answers. */
  async function answer(record: RecordedRequest, body: unknown): Promise<ResponseMessage> {
    const { body: request, tools, segments } = validateCreateMessage(body, rules);
    const usage: Omit<Usage, "output_tokens"> = { ...cache.use(segments), service_tier: "standard" };
    if (request.max_tokens === 0) return emptyMessage(request.model, usage);
    try {
      return buildMessage({
        turn: await script.next(record),
        model: request.model,
        maxTokens: request.max_tokens,
        tools,
        toolChoice: request.tool_choice,
        stopSequences: request.stop_sequences,
        usage,
        charsPerToken: rules.charsPerToken,
      });
    } catch (error) {
      if (!(error instanceof ScriptError)) throw error;
      script.errors.push(error);
      throw new ApiError("api_error", `fake-anthropic script: ${error.message}`, {
        headers: { "x-should-retry": "false" },
      });
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const { pathname } = new URL(req.url ?? "/", "http://127.0.0.1");
    const record = newRecord(req, pathname);
    requests.push(record);
    try {
      const route = ROUTES[pathname];
      if (!route) throw new ApiError("not_found_error", "Not Found");
      if (req.method !== "POST") throw new ApiError("invalid_request_error", "Method Not Allowed", { status: 405 });
      record.auth = authenticate(req.headers, apiKey, versions);

      const raw = await readBody(req);
      let body: unknown;
      try {
        body = JSON.parse(raw.toString("utf8"));
      } catch {
        throw invalidRequest("There was an issue with the format of your request: the body is not valid JSON");
      }
      record.body = body;
      Object.assign(record, describeRequest(body));

      const fault = faults.take(route);
      if (fault?.kind === "delay") await sleep(fault.ms);
      if (fault?.kind === "disconnect") {
        req.socket.destroy();
        return;
      }
      if (fault?.kind === "error") throw faultError(fault);

      if (route === "count_tokens") {
        const { segments } = validateCountTokens(body, rules);
        send(res, record, 200, { input_tokens: totalTokens(segments) });
        return;
      }
      const message = await answer(record, body);
      record.usage = message.usage;
      if (record.stream) {
        await writeStream(res, record, message, {
          chunkChars,
          headers: baseHeaders(record),
          fault: faults.takeStream(),
        });
      } else {
        send(res, record, 200, message);
      }
    } catch (error) {
      const apiError =
        error instanceof ApiError
          ? error
          : new ApiError("api_error", `fake-anthropic: ${error instanceof Error ? error.message : String(error)}`);
      if (res.headersSent || res.destroyed) return;
      const retryable = apiError.status === 429 || apiError.status >= 500;
      send(res, record, apiError.status, apiError.body(record.requestId), {
        "x-should-retry": String(retryable),
        ...apiError.headers,
      });
    }
  }

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    apiKey,
    env: () => ({ ANTHROPIC_BASE_URL: url, ANTHROPIC_API_KEY: apiKey }),
    requests,
    get lastRequest() {
      return requests.at(-1);
    },
    messageRequests: () => requests.filter((r) => r.route === "/v1/messages" && r.status === 200),
    scriptErrors: script.errors,
    get pendingTurns() {
      return script.pending;
    },
    script: (...turns) => script.push(turns),
    assertScriptDone: () => script.assertDone(),
    fail: (status, failOptions) => faults.fail(status, failOptions),
    delay: (ms, delayOptions) => faults.delay(ms, delayOptions),
    disconnect: (disconnectOptions) => faults.disconnect(disconnectOptions),
    streamDelay: (ms, delayOptions) => faults.streamDelay(ms, delayOptions),
    streamError: (errorOptions) => faults.streamError(errorOptions),
    cache: { clear: () => cache.clear() },
    reset() {
      requests.length = 0;
      script.clear();
      faults.clear();
      cache.clear();
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
