import { builtinInputProblem } from "./builtin-tool-inputs.js";
import { newMessageId } from "./ids.js";
import type { AssistantTurn, OutputBlock, StopReason, Usage } from "./types.js";
import type { OfferedTool } from "./validate-tools.js";

/** A scripted turn that does not fit the request it answers: a mistake in the test's script. */
export class ScriptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ScriptError";
  }
}

export type ResponseBlock =
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; input: unknown };

export interface ResponseMessage {
  id: string;
  type: "message";
  role: "assistant";
  model: string;
  content: ResponseBlock[];
  stop_reason: StopReason;
  stop_sequence: string | null;
  stop_details: null;
  container: null;
  usage: Usage;
}

interface BuildInput {
  turn: AssistantTurn;
  model: string;
  maxTokens: number;
  tools: readonly OfferedTool[];
  toolChoice?: { type: string; name?: string; disable_parallel_tool_use?: boolean } | undefined;
  stopSequences?: readonly string[] | undefined;
  usage: Omit<Usage, "output_tokens">;
  charsPerToken: number;
}

function outputTokensOf(block: OutputBlock, charsPerToken: number): number {
  const chars = block.type === "text" ? block.text.length : block.name.length + JSON.stringify(block.input).length;
  return Math.max(1, Math.ceil(chars / charsPerToken)) + (block.type === "tool_use" ? 10 : 0);
}

function checkToolUse(block: Extract<OutputBlock, { type: "tool_use" }>, input: BuildInput): void {
  const tool = input.tools.find((offered) => offered.name === block.name);
  if (!tool) {
    const names = input.tools.map((offered) => offered.name).join(", ") || "none";
    throw new ScriptError(`turn calls tool "${block.name}", which the request does not offer (offered: ${names})`);
  }
  if (input.toolChoice?.type === "none") throw new ScriptError("turn uses a tool although tool_choice is none");
  if (!block.unchecked && tool.type === "custom") {
    const schema = tool.definition.input_schema as { required?: unknown } | undefined;
    const required = Array.isArray(schema?.required) ? (schema.required as string[]) : [];
    const missing = required.filter((key) => !(key in block.input));
    if (missing.length > 0) {
      throw new ScriptError(`turn's ${block.name} input lacks required ${missing.join(", ")} of its input_schema`);
    }
  }
  if (!block.unchecked) {
    const problem = builtinInputProblem(tool.type, block.input);
    if (problem) throw new ScriptError(`turn's ${block.name} input does not match ${tool.type}: ${problem}`);
  }
}

/** Generation stops at the first custom stop sequence in the text; the sequence itself is not output. */
function cutAtStopSequence(
  blocks: readonly OutputBlock[],
  sequences: readonly string[],
): { blocks: OutputBlock[]; stopSequence: string | null } {
  const out: OutputBlock[] = [];
  for (const block of blocks) {
    if (block.type === "text") {
      let first: { at: number; sequence: string } | null = null;
      for (const sequence of sequences) {
        const at = sequence ? block.text.indexOf(sequence) : -1;
        if (at >= 0 && (first === null || at < first.at)) first = { at, sequence };
      }
      if (first) {
        if (first.at > 0) out.push({ type: "text", text: block.text.slice(0, first.at) });
        return { blocks: out, stopSequence: first.sequence };
      }
    }
    out.push(block);
  }
  return { blocks: out, stopSequence: null };
}

/**
 * The Message the API would answer for a scripted turn: tool calls checked against what the
 * request offers, output cut at `max_tokens`, stop reason and usage filled in.
 */
export function buildMessage(input: BuildInput): ResponseMessage {
  const turn = Array.isArray(input.turn) ? { content: input.turn } : input.turn;
  if (!Array.isArray(turn?.content)) throw new ScriptError("a turn is an array of blocks or { content: blocks }");
  for (const block of turn.content) {
    const ok =
      (block?.type === "text" && typeof block.text === "string") ||
      (block?.type === "tool_use" && typeof block.name === "string" && typeof block.input === "object");
    if (!ok)
      throw new ScriptError(`not an output block: ${JSON.stringify(block)} (use text(), toolUse(), editor.*, bash.*)`);
  }
  for (const block of turn.content) if (block.type === "tool_use") checkToolUse(block, input);
  if (input.toolChoice?.type === "any" || input.toolChoice?.type === "tool") {
    const wanted = input.toolChoice.type === "tool" ? input.toolChoice.name : undefined;
    const used = turn.content.some((b) => b.type === "tool_use" && (!wanted || b.name === wanted));
    if (!used)
      throw new ScriptError(`tool_choice ${input.toolChoice.type} requires the turn to call ${wanted ?? "a tool"}`);
  }

  if (input.toolChoice?.disable_parallel_tool_use && turn.content.filter((b) => b.type === "tool_use").length > 1) {
    throw new ScriptError("disable_parallel_tool_use is set, so a turn may call at most one tool");
  }

  const { blocks, stopSequence } = cutAtStopSequence(turn.content, input.stopSequences ?? []);
  const content: ResponseBlock[] = [];
  let spent = 0;
  let truncated = false;
  for (const block of blocks) {
    const cost = outputTokensOf(block, input.charsPerToken);
    if (spent + cost > input.maxTokens) {
      truncated = true;
      const room = input.maxTokens - spent;
      if (block.type === "text" && room > 0) {
        content.push({ type: "text", text: block.text.slice(0, room * input.charsPerToken) });
        spent += room;
      }
      break;
    }
    spent += cost;
    content.push(
      block.type === "text"
        ? { type: "text", text: block.text }
        : { type: "tool_use", id: block.id, name: block.name, input: block.input },
    );
  }

  const defaultStop: StopReason = content.some((b) => b.type === "tool_use") ? "tool_use" : "end_turn";
  const stopReason: StopReason = truncated
    ? "max_tokens"
    : stopSequence !== null
      ? "stop_sequence"
      : (turn.stopReason ?? defaultStop);
  const outputTokens = truncated ? input.maxTokens : (turn.outputTokens ?? Math.max(1, spent));
  return {
    id: newMessageId(),
    type: "message",
    role: "assistant",
    model: input.model,
    content,
    stop_reason: stopReason,
    stop_sequence: truncated ? null : stopSequence,
    stop_details: null,
    container: null,
    usage: { ...input.usage, output_tokens: outputTokens },
  };
}

/** The answer to `max_tokens: 0`: nothing generated, the prompt cache warmed. */
export function emptyMessage(model: string, usage: Omit<Usage, "output_tokens">): ResponseMessage {
  return {
    id: newMessageId(),
    type: "message",
    role: "assistant",
    model,
    content: [],
    stop_reason: "max_tokens",
    stop_sequence: null,
    stop_details: null,
    container: null,
    usage: { ...usage, output_tokens: 0 },
  };
}
