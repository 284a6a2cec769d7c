export { type ApiErrorBody, type ApiErrorType, ERROR_STATUS } from "./api-error.js";
export { bashInputSchema, textEditorInputSchema } from "./builtin-tool-inputs.js";
export { type FailOptions, type FakeAnthropic, startFakeAnthropic } from "./fake-anthropic.js";
export { bash, editor, text, toolUse } from "./turn-blocks.js";
export type {
  AssistantTurn,
  FakeAnthropicOptions,
  OutputBlock,
  RecordedRequest,
  ScriptedTurn,
  StopReason,
  ToolResultView,
  Usage,
} from "./types.js";
