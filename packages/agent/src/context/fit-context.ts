import type Anthropic from "@anthropic-ai/sdk";
import { estimateRequestTokens } from "./estimate-tokens.js";
import { applyTrim, resultSize, TRIMMED_NOTE, trimCandidates } from "./trim-context.js";

export interface FitContextOptions {
  anthropic: Anthropic;
  /** The full conversation (never modified). */
  messages: Anthropic.MessageParam[];
  /** Tool results already trimmed; grows here. */
  trimmed: Set<string>;
  build: (messages: Anthropic.MessageParam[]) => Anthropic.MessageCreateParamsNonStreaming;
  /** Most input tokens a request may have: the context window less the answer's max_tokens. */
  limitTokens: number;
  /** Ask count_tokens once the estimate passes this share of the limit (0 = never ask). */
  countAbove: number;
  onTrim?: (count: number, tokens: number) => void;
}

export interface FittedRequest {
  body: Anthropic.MessageCreateParamsNonStreaming;
  /** Best known input size of the request (count_tokens when asked, else the estimate). */
  tokens: number;
}

/**
 * Makes the next request fit the model's context window, trimming the oldest tool outputs first.
 * The estimate over-counts; near the limit the API's count_tokens gives the exact figure, and
 * the estimate is scaled by what it said. Returns undefined when even a fully trimmed
 * conversation is too big.
 */
export async function fitContext(options: FitContextOptions): Promise<FittedRequest | undefined> {
  const { messages, trimmed, build, limitTokens } = options;
  let scale = 1;
  let counted = false;
  const before = trimmed.size;
  for (;;) {
    const body = build(applyTrim(messages, trimmed));
    let tokens = Math.ceil(estimateRequestTokens(body) * scale);
    if (!counted && options.countAbove > 0 && tokens > limitTokens * options.countAbove) {
      counted = true;
      const exact = await countTokens(options.anthropic, body);
      if (exact !== undefined) {
        scale = exact / Math.max(1, estimateRequestTokens(body));
        tokens = exact;
      }
    }
    if (tokens <= limitTokens) {
      if (trimmed.size > before) options.onTrim?.(trimmed.size - before, tokens);
      return { body, tokens };
    }
    const next = trimCandidates(messages).find(
      (id) => !trimmed.has(id) && resultSize(messages, id) > TRIMMED_NOTE.length * 2,
    );
    if (next === undefined) return undefined;
    trimmed.add(next);
  }
}

async function countTokens(
  anthropic: Anthropic,
  body: Anthropic.MessageCreateParamsNonStreaming,
): Promise<number | undefined> {
  try {
    const r = await anthropic.messages.countTokens(
      {
        model: body.model,
        system: body.system,
        tools: body.tools as Anthropic.MessageCountTokensTool[],
        messages: body.messages,
      },
      { timeout: 30_000, maxRetries: 1 },
    );
    return r.input_tokens;
  } catch {
    // The estimate over-counts; without the exact figure the request is still safe.
    return undefined;
  }
}
