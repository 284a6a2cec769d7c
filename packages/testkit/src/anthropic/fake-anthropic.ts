import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { ApiError, errorTypeForStatus, invalidRequest } from "./api-error.js";
import { buildMessage, emptyMessage, type ResponseMessage, ScriptError } from "./build-message.js";
import { describeRequest } from "./describe-request.js";
import { describeValidationError } from "./describe-validation-error.js";
import { newApiKey, newRequestId } from "./ids.js";
import { PromptCache } from "./prompt-cache.js";
import { promptSegments, totalTokens } from "./prompt-segments.js";
import {
  type CountTokensBody,
  type CreateMessageBody,
  countTokensBodySchema,
  createMessageBodySchema,
} from "./request-schema.js";
import { formatSse, streamEvents } from "./stream-events.js";
import type {
  AssistantTurn,
  FakeAnthropicOptions,
  Fault,
  RecordedRequest,
  Route,
  ScriptedTurn,
  StreamFault,
  Usage,
} from "./types.js";
import { validateConversation } from "./validate-conversation.js";
import { validateTools } from "./validate-tools.js";

const DEFAULT_VERSIONS = ["2023-01-01", "2023-06-01", "2026-10-21"];
const MAX_BODY_BYTES = 32 * 1024 * 1024; // the Messages API's request size limit
const ROUTES: Record<string, Route> = { "/v1/messages": "messages", "/v1/messages/count_tokens": "count_tokens" };

export interface FailOptions {
  times?: number;
  /** Seconds, sent as `retry-after` (fractions allowed, to keep tests fast). */
  retryAfter?: number;
  type?: string;
  message?: string;
  route?: Route;
}

export interface FakeAnthropic {
  readonly url: string;
  readonly apiKey: string;
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

const DEFAULT_MESSAGES: Record<string, string> = {
  rate_limit_error: "Number of request tokens has exceeded your per-minute rate limit",
  overloaded_error: "Overloaded",
  api_error: "Internal server error",
};

function readBody(req: IncomingMessage): Promise<Buffer> {
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

function recordedHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name === "x-api-key" || name === "authorization" || value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

/** Starts a fake of the Claude Messages API on 127.0.0.1 and a random port. */
export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const apiKey = options.apiKey ?? newApiKey();
  const versions = new Set(options.versions ?? DEFAULT_VERSIONS);
  const charsPerToken = options.charsPerToken ?? 4;
  const chunkChars = options.streamChunkChars ?? 16;
  const maxOutputTokens = options.maxOutputTokens ?? 128_000;
  const organizationId = randomUUID();
  const cache = new PromptCache({
    now: options.now ?? Date.now,
    minCacheableTokens: options.minCacheableTokens ?? 1024,
  });
  const isKnownModel = (model: string) =>
    options.models ? options.models.includes(model) : model.startsWith("claude-");

  const requests: RecordedRequest[] = [];
  const turns: ScriptedTurn[] = [];
  const faults: Fault[] = [];
  const streamFaults: StreamFault[] = [];
  const scriptErrors: Error[] = [];
  const sockets = new Set<Socket>();

  function takeFault(route: Route): Fault | undefined {
    const index = faults.findIndex((fault) => fault.route === route);
    return index < 0 ? undefined : faults.splice(index, 1)[0];
  }

  function send(
    res: ServerResponse,
    record: RecordedRequest,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) {
    record.status = status;
    record.response = body;
    res.writeHead(status, {
      "content-type": "application/json",
      "request-id": record.requestId,
      "anthropic-organization-id": organizationId,
      ...headers,
    });
    res.end(JSON.stringify(body));
  }

  function sendError(res: ServerResponse, record: RecordedRequest, error: ApiError) {
    const retryable = error.status === 429 || error.status >= 500;
    send(res, record, error.status, error.body(record.requestId), {
      "x-should-retry": String(retryable),
      ...error.headers,
    });
  }

  function checkModelAndLimits(body: CreateMessageBody | CountTokensBody, maxTokens?: number) {
    if (!isKnownModel(body.model)) throw new ApiError("not_found_error", `model: ${body.model}`);
    if (maxTokens !== undefined && maxTokens > maxOutputTokens) {
      throw invalidRequest(
        `max_tokens: ${maxTokens} > ${maxOutputTokens}, which is the maximum allowed number of output tokens for ${body.model}`,
      );
    }
    if (body.thinking?.type === "enabled" && maxTokens !== undefined && body.thinking.budget_tokens >= maxTokens) {
      throw invalidRequest("`max_tokens` must be greater than `thinking.budget_tokens`");
    }
    const tools = validateTools(body.tools);
    const choice = body.tool_choice;
    if (choice?.type === "tool" && !tools.some((tool) => tool.name === choice.name)) {
      throw invalidRequest(`tool_choice.name: Tool '${choice.name}' not found in provided tools`);
    }
    validateConversation(body.messages, options.strictAlternation);
    const segments = promptSegments({
      model: body.model,
      tools,
      toolChoice: body.tool_choice,
      system: body.system,
      messages: body.messages,
      topLevelCacheControl: body.cache_control,
      charsPerToken,
    });
    return { tools, segments };
  }

  async function resolveTurn(record: RecordedRequest): Promise<AssistantTurn> {
    const next = turns.shift();
    if (next === undefined) throw new ScriptError("no scripted turn left for this request");
    if (typeof next !== "function") return next;
    try {
      return await next(record);
    } catch (error) {
      throw new ScriptError(`turn function threw: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async function stream(res: ServerResponse, record: RecordedRequest, message: ResponseMessage) {
    record.status = 200;
    record.response = message;
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      "request-id": record.requestId,
      "anthropic-organization-id": organizationId,
    });
    const events = streamEvents(message, chunkChars);
    const fault = streamFaults.shift();
    for (let i = 0; i < events.length; i++) {
      if (res.destroyed) return;
      if (fault && fault.afterEvents === i) {
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

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const record: RecordedRequest = {
      requestId: newRequestId(),
      receivedAt: Date.now(),
      method: req.method ?? "GET",
      route: url.pathname,
      status: 0,
      headers: recordedHeaders(req),
      body: undefined,
      stream: false,
      system: "",
      tools: [],
      messages: [],
      toolResults: [],
    };
    requests.push(record);
    try {
      const route = ROUTES[url.pathname];
      if (!route) throw new ApiError("not_found_error", "Not Found");
      if (req.method !== "POST") throw new ApiError("invalid_request_error", "Method Not Allowed", { status: 405 });
      // The API takes the key as `x-api-key`; SDK 1.x sends it as `Authorization: Bearer`.
      const key = req.headers["x-api-key"];
      const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "")?.[1];
      if (key !== undefined) {
        if (key !== apiKey) throw new ApiError("authentication_error", "invalid x-api-key");
        record.auth = "x-api-key";
      } else if (bearer !== undefined) {
        if (bearer !== apiKey) throw new ApiError("authentication_error", "Invalid bearer token");
        record.auth = "bearer";
      } else {
        throw new ApiError("authentication_error", "x-api-key header is required");
      }
      const version = req.headers["anthropic-version"];
      if (!version) throw invalidRequest("anthropic-version: header is required");
      if (typeof version !== "string" || !versions.has(version)) {
        throw invalidRequest(`anthropic-version: invalid version '${String(version)}'`);
      }

      const raw = await readBody(req);
      let body: unknown;
      try {
        body = JSON.parse(raw.toString("utf8"));
      } catch {
        throw invalidRequest("There was an issue with the format of your request: the body is not valid JSON");
      }
      record.body = body;
      Object.assign(record, describeRequest(body));

      const fault = takeFault(route);
      if (fault?.kind === "delay") await sleep(fault.ms);
      if (fault?.kind === "disconnect") {
        req.socket.destroy();
        return;
      }
      if (fault?.kind === "error") {
        const headers: Record<string, string> =
          fault.retryAfter === undefined ? {} : { "retry-after": String(fault.retryAfter) };
        if (fault.status === 429) {
          headers["anthropic-ratelimit-requests-limit"] = "50";
          headers["anthropic-ratelimit-requests-remaining"] = "0";
        }
        throw new ApiError(fault.type, fault.message, { status: fault.status, headers });
      }

      if (route === "count_tokens") {
        const parsed = countTokensBodySchema.safeParse(body, { reportInput: true });
        if (!parsed.success) throw invalidRequest(describeValidationError(parsed.error));
        const { segments } = checkModelAndLimits(parsed.data);
        send(res, record, 200, { input_tokens: totalTokens(segments) });
        return;
      }

      const parsed = createMessageBodySchema.safeParse(body, { reportInput: true });
      if (!parsed.success) throw invalidRequest(describeValidationError(parsed.error));
      const request = parsed.data;
      const { tools, segments } = checkModelAndLimits(request, request.max_tokens);
      const usage: Omit<Usage, "output_tokens"> = { ...cache.use(segments), service_tier: "standard" };

      let message: ResponseMessage;
      if (request.max_tokens === 0) {
        message = emptyMessage(request.model, usage);
      } else {
        try {
          const turn = await resolveTurn(record);
          message = buildMessage({
            turn,
            model: request.model,
            maxTokens: request.max_tokens,
            tools,
            toolChoice: request.tool_choice,
            stopSequences: request.stop_sequences,
            usage,
            charsPerToken,
          });
        } catch (error) {
          if (!(error instanceof ScriptError)) throw error;
          scriptErrors.push(error);
          throw new ApiError("api_error", `fake-anthropic script: ${error.message}`, {
            headers: { "x-should-retry": "false" },
          });
        }
      }
      record.usage = message.usage;
      if (request.stream) await stream(res, record, message);
      else send(res, record, 200, message);
    } catch (error) {
      const apiError =
        error instanceof ApiError
          ? error
          : new ApiError("api_error", `fake-anthropic: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent && !res.destroyed) sendError(res, record, apiError);
    }
  }

  const server: Server = createServer((req, res) => {
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

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    get lastRequest() {
      return requests.at(-1);
    },
    messageRequests: () => requests.filter((r) => r.route === "/v1/messages" && r.status === 200),
    scriptErrors,
    get pendingTurns() {
      return turns.length;
    },
    script: (...more) => {
      turns.push(...more);
    },
    assertScriptDone() {
      const problems = [
        ...scriptErrors.map((error) => error.message),
        ...(turns.length > 0 ? [`${turns.length} scripted turn(s) never requested`] : []),
      ];
      if (problems.length > 0) throw new Error(`fake-anthropic: ${problems.join("; ")}`);
    },
    fail(status, failOptions = {}) {
      const type = failOptions.type ?? errorTypeForStatus(status);
      for (let i = 0; i < (failOptions.times ?? 1); i++) {
        faults.push({
          kind: "error",
          status,
          type,
          message: failOptions.message ?? DEFAULT_MESSAGES[type] ?? type,
          retryAfter: failOptions.retryAfter,
          route: failOptions.route ?? "messages",
        });
      }
    },
    delay(ms, delayOptions = {}) {
      for (let i = 0; i < (delayOptions.times ?? 1); i++) {
        faults.push({ kind: "delay", ms, route: delayOptions.route ?? "messages" });
      }
    },
    disconnect(disconnectOptions = {}) {
      if (disconnectOptions.afterEvents !== undefined) {
        streamFaults.push({ kind: "stream-disconnect", afterEvents: disconnectOptions.afterEvents });
      } else {
        faults.push({ kind: "disconnect", route: disconnectOptions.route ?? "messages" });
      }
    },
    streamDelay(ms, delayOptions) {
      for (let i = 0; i < (delayOptions.times ?? 1); i++) {
        streamFaults.push({ kind: "stream-delay", ms, afterEvents: delayOptions.afterEvents });
      }
    },
    streamError(errorOptions) {
      const type = errorOptions.type ?? "overloaded_error";
      streamFaults.push({
        kind: "stream-error",
        afterEvents: errorOptions.afterEvents,
        type,
        message: errorOptions.message ?? DEFAULT_MESSAGES[type] ?? type,
      });
    },
    cache: { clear: () => cache.clear() },
    reset() {
      requests.length = 0;
      turns.length = 0;
      faults.length = 0;
      streamFaults.length = 0;
      scriptErrors.length = 0;
      cache.clear();
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
