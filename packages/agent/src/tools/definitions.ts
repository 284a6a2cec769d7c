import type Anthropic from "@anthropic-ai/sdk";
import { BASH_NAME } from "./bash-tool.js";
import { TEXT_EDITOR_NAME } from "./text-editor/index.js";

/**
 * The Anthropic-defined tools, as CONTRACT.md §5 names them. Their schemas are built into the
 * model; the last one carries the cache breakpoint that covers the whole tool list.
 */
export function toolDefinitions(viewMaxChars: number): Anthropic.ToolUnion[] {
  return [
    { type: "text_editor_20250728", name: TEXT_EDITOR_NAME, max_characters: viewMaxChars },
    { type: "bash_20250124", name: BASH_NAME, cache_control: { type: "ephemeral" } },
  ];
}
