import { ApiError, invalidRequest } from "./api-error.js";
import { describeValidationError } from "./describe-validation-error.js";
import { promptSegments, type Segment } from "./prompt-segments.js";
import {
  type CountTokensBody,
  type CreateMessageBody,
  countTokensBodySchema,
  createMessageBodySchema,
} from "./request-schema.js";
import { validateConversation } from "./validate-conversation.js";
import { type OfferedTool, validateTools } from "./validate-tools.js";

export interface ValidationRules {
  isKnownModel: (model: string) => boolean;
  maxOutputTokens: number;
  strictAlternation: boolean;
  charsPerToken: number;
}

export type ValidRequest<Body> = { body: Body; tools: OfferedTool[]; segments: Segment[] };

function checkSemantics(
  body: CreateMessageBody | CountTokensBody,
  maxTokens: number | undefined,
  rules: ValidationRules,
): { tools: OfferedTool[]; segments: Segment[] } {
  if (!rules.isKnownModel(body.model)) throw new ApiError("not_found_error", `model: ${body.model}`);
  if (maxTokens !== undefined && maxTokens > rules.maxOutputTokens) {
    throw invalidRequest(
      `max_tokens: ${maxTokens} > ${rules.maxOutputTokens}, which is the maximum allowed number of output tokens for ${body.model}`,
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
  validateConversation(body.messages, rules.strictAlternation);
  const segments = promptSegments({
    model: body.model,
    tools,
    toolChoice: body.tool_choice,
    system: body.system,
    messages: body.messages,
    topLevelCacheControl: body.cache_control,
    charsPerToken: rules.charsPerToken,
  });
  return { tools, segments };
}

/** A `POST /v1/messages` body checked as the API checks it; throws the API's error. */
export function validateCreateMessage(body: unknown, rules: ValidationRules): ValidRequest<CreateMessageBody> {
  const parsed = createMessageBodySchema.safeParse(body, { reportInput: true });
  if (!parsed.success) throw invalidRequest(describeValidationError(parsed.error));
  return { body: parsed.data, ...checkSemantics(parsed.data, parsed.data.max_tokens, rules) };
}

/** A `POST /v1/messages/count_tokens` body checked as the API checks it. */
export function validateCountTokens(body: unknown, rules: ValidationRules): ValidRequest<CountTokensBody> {
  const parsed = countTokensBodySchema.safeParse(body, { reportInput: true });
  if (!parsed.success) throw invalidRequest(describeValidationError(parsed.error));
  return { body: parsed.data, ...checkSemantics(parsed.data, undefined, rules) };
}
