/**
 * Canonical request → Anthropic Messages body (POST /v1/messages).
 */
import type {
  AssistantPart,
  CanonicalMessage,
  FilePart,
  ImagePart,
  ProviderRequest,
  TextPart,
  ToolCallPart,
  ToolChoice,
  ToolResultPart,
  UserPart,
} from '../../core/canonical-request.js';
import { invalidRequest } from '../../core/errors.js';
import { refuseSeedAndPenalties } from '../shared/unsupported-parameter.js';
import { defaultMaxTokens } from './anthropic-max-tokens.js';
import { fitThinkingToToolLoop } from './fit-thinking-to-tool-loop.js';
import type { AnthropicOutputEffort, AnthropicThinking } from './map-anthropic-thinking.js';
import { mapAnthropicThinking } from './map-anthropic-thinking.js';
import { refuseBlankStopSequences } from './refuse-blank-stop-sequences.js';

type CacheControl = { type: 'ephemeral'; ttl?: string };

export interface AnthropicTextBlock {
  type: 'text';
  text: string;
  cache_control?: CacheControl;
}

type MediaSource =
  | { type: 'base64'; media_type: string; data: string }
  | { type: 'url'; url: string }
  | { type: 'text'; media_type: 'text/plain'; data: string };

export interface AnthropicImageBlock {
  type: 'image';
  source: MediaSource;
}

export interface AnthropicDocumentBlock {
  type: 'document';
  source: MediaSource;
  title?: string;
}

export interface AnthropicToolResultBlock {
  type: 'tool_result';
  tool_use_id: string;
  content: Array<AnthropicTextBlock | AnthropicImageBlock>;
  is_error?: boolean;
}

export type AnthropicAssistantBlock =
  | AnthropicTextBlock
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown };

export type AnthropicUserBlock =
  | AnthropicTextBlock
  | AnthropicImageBlock
  | AnthropicDocumentBlock
  | AnthropicToolResultBlock;

export type AnthropicMessage =
  | { role: 'user'; content: AnthropicUserBlock[] }
  | { role: 'assistant'; content: AnthropicAssistantBlock[] };

export interface AnthropicTool {
  name: string;
  description?: string;
  input_schema: Record<string, unknown>;
  strict?: boolean;
  cache_control?: CacheControl;
}

export type AnthropicToolChoice =
  | { type: 'auto'; disable_parallel_tool_use?: boolean }
  | { type: 'any'; disable_parallel_tool_use?: boolean }
  | { type: 'tool'; name: string; disable_parallel_tool_use?: boolean }
  | { type: 'none' };

export interface AnthropicMessagesBody {
  model: string;
  max_tokens: number;
  messages: AnthropicMessage[];
  system?: AnthropicTextBlock[];
  tools?: AnthropicTool[];
  tool_choice?: AnthropicToolChoice;
  thinking?: AnthropicThinking;
  temperature?: number;
  top_p?: number;
  top_k?: number;
  stop_sequences?: string[];
  metadata?: { user_id: string };
  output_config?: {
    effort?: AnthropicOutputEffort;
    format?: { type: 'json_schema'; schema: Record<string, unknown> };
  };
  stream: true;
}

/**
 * Anthropic has no JSON mode without a schema; an instruction is the closest faithful rendering (the
 * alternative, refusing the request, would break clients that use json_object as a hint).
 */
export const JSON_OBJECT_INSTRUCTION = 'Respond with a single JSON object only.';

/** With thinking on, Anthropic (also Claude on Bedrock) accepts top_p only in [0.95, 1]. */
export const MIN_TOP_P_WITH_THINKING = 0.95;

/** `warn` hears about changes the client should know of (x-junction-warning): thinking off for a tool loop. */
export function convertToAnthropicRequest(
  sent: ProviderRequest,
  providerName: string,
  warn?: (message: string) => void,
): AnthropicMessagesBody {
  refuseUnsupported(sent, providerName);
  const request = fitThinkingToToolLoop(sent, warn);
  const system: AnthropicTextBlock[] = [];
  const messages: AnthropicMessage[] = [];
  request.messages.forEach((message, index) => {
    if (message.role === 'system') {
      for (const part of message.content) if (part.text !== '') system.push(textBlock(part));
      return;
    }
    const converted = convertMessage(message, index);
    // Dropping an empty last user message would leave an assistant message last, which Anthropic takes
    // as a prefill to continue: a different request from the one the client sent.
    if (converted.role === 'user' && converted.content.length === 0 && index === request.messages.length - 1)
      throw invalidRequest(
        'The last user message is empty; Anthropic needs content to answer',
        `messages[${index}].content`,
      );
    appendMessage(messages, converted);
  });
  if (request.responseFormat?.type === 'json_object')
    system.push({ type: 'text', text: JSON_OBJECT_INSTRUCTION });

  const reasoning = mapAnthropicThinking(request.upstreamModel, request.reasoning);
  const budget = reasoning.thinking?.type === 'enabled' ? reasoning.thinking.budget_tokens : undefined;
  let maxTokens = request.maxOutputTokens ?? defaultMaxTokens(request.upstreamModel);
  // max_tokens counts thinking and answer together and must exceed the budget; adding the budget keeps
  // the room the client asked for (or the model default) for the visible answer.
  if (budget !== undefined && maxTokens <= budget) maxTokens += budget;

  const body: AnthropicMessagesBody = {
    model: request.upstreamModel,
    max_tokens: maxTokens,
    messages,
    // The adapter always streams; a non-streaming client gets the collected stream.
    stream: true,
  };
  if (system.length > 0) body.system = system;

  if (request.tools && request.tools.length > 0) {
    body.tools = request.tools.map((tool) => {
      // Anthropic requires input_schema.type "object"; a client's `parameters: {}` has none (a missing
      // `parameters` already arrives as an empty object schema from the dialects).
      const converted: AnthropicTool = {
        name: tool.name,
        input_schema: { type: 'object', ...tool.parameters },
      };
      if (tool.description !== undefined) converted.description = tool.description;
      if (tool.strict === true) converted.strict = true;
      if (tool.cacheControl) converted.cache_control = tool.cacheControl;
      return converted;
    });
    const toolChoice = convertToolChoice(request.toolChoice, request.parallelToolCalls);
    if (toolChoice) body.tool_choice = toolChoice;
  }

  if (reasoning.thinking) body.thinking = reasoning.thinking;
  if (reasoning.thinks) {
    // Anthropic rejects temperature (other than 1) and top_k with thinking on, so they are left out.
    if (request.topP !== undefined && request.topP >= MIN_TOP_P_WITH_THINKING) body.top_p = request.topP;
  } else {
    if (request.temperature !== undefined) body.temperature = request.temperature;
    if (request.topP !== undefined) body.top_p = request.topP;
    if (request.topK !== undefined) body.top_k = request.topK;
  }
  if (request.stop && request.stop.length > 0) body.stop_sequences = request.stop;
  if (request.user !== undefined) body.metadata = { user_id: request.user };

  if (request.responseFormat?.type === 'json_schema') {
    // Structured outputs as generally available: `output_config.format`, no beta header (the recorded
    // pydantic-ai cassettes send exactly this).
    body.output_config = { format: { type: 'json_schema', schema: request.responseFormat.schema } };
  }
  if (reasoning.effort !== undefined)
    body.output_config = { effort: reasoning.effort, ...body.output_config };
  return body;
}

/** Request fields the Messages API has nothing for: a 400 naming the field, not a silent drop. */
function refuseUnsupported(request: ProviderRequest, providerName: string): void {
  refuseSeedAndPenalties(request, providerName, 'the Anthropic Messages API');
  refuseBlankStopSequences(request.stop, providerName);
}

function convertToolChoice(
  choice: ToolChoice | undefined,
  parallelToolCalls: boolean | undefined,
): AnthropicToolChoice | undefined {
  const disableParallel = parallelToolCalls === false ? { disable_parallel_tool_use: true } : {};
  switch (choice?.type) {
    case undefined:
      return parallelToolCalls === false ? { type: 'auto', ...disableParallel } : undefined;
    case 'auto':
      return { type: 'auto', ...disableParallel };
    case 'required':
      return { type: 'any', ...disableParallel };
    case 'tool':
      return { type: 'tool', name: choice.name, ...disableParallel };
    case 'none':
      return { type: 'none' };
  }
}

function convertMessage(
  message: Exclude<CanonicalMessage, { role: 'system' }>,
  index: number,
): AnthropicMessage {
  switch (message.role) {
    case 'user':
      return { role: 'user', content: message.content.flatMap(userBlocks) };
    case 'tool':
      return { role: 'user', content: message.content.map(toolResultBlock) };
    case 'assistant':
      return {
        role: 'assistant',
        content: message.content.flatMap((part, j) => assistantBlocks(part, index, j)),
      };
  }
}

/**
 * Anthropic requires strictly alternating roles, so consecutive same-role messages (a tool message then a
 * user message, or several tool messages in OpenAI style) become one. Messages left empty are dropped.
 */
function appendMessage(messages: AnthropicMessage[], next: AnthropicMessage): void {
  if (next.content.length === 0) return;
  const last = messages.at(-1);
  if (last?.role === 'user' && next.role === 'user') {
    last.content = toolResultsFirst([...last.content, ...next.content]);
  } else if (last?.role === 'assistant' && next.role === 'assistant') {
    last.content = [...last.content, ...next.content];
  } else {
    messages.push(next);
  }
}

/** Anthropic requires the tool_result blocks of a user turn to come before its other content. */
function toolResultsFirst(blocks: AnthropicUserBlock[]): AnthropicUserBlock[] {
  return [
    ...blocks.filter((block) => block.type === 'tool_result'),
    ...blocks.filter((block) => block.type !== 'tool_result'),
  ];
}

function textBlock(part: TextPart): AnthropicTextBlock {
  const block: AnthropicTextBlock = { type: 'text', text: part.text };
  if (part.cacheControl) block.cache_control = part.cacheControl;
  return block;
}

/** Anthropic rejects empty text blocks; an empty part carries nothing, so it is dropped. */
function userBlocks(part: UserPart): AnthropicUserBlock[] {
  switch (part.type) {
    case 'text':
      return part.text === '' ? [] : [textBlock(part)];
    case 'image':
      return [imageBlock(part)];
    case 'file':
      return [documentBlock(part)];
  }
}

function imageBlock(part: ImagePart): AnthropicImageBlock {
  const { source } = part;
  return {
    type: 'image',
    source:
      source.kind === 'url'
        ? { type: 'url', url: source.url }
        : { type: 'base64', media_type: source.mediaType, data: source.data },
  };
}

function documentBlock(part: FilePart): AnthropicDocumentBlock {
  const { source } = part;
  let converted: MediaSource;
  if (source.kind === 'url') {
    converted = { type: 'url', url: source.url };
  } else if (source.mediaType.startsWith('text/')) {
    // Anthropic takes plain-text documents as a text source, not base64.
    converted = {
      type: 'text',
      media_type: 'text/plain',
      data: Buffer.from(source.data, 'base64').toString('utf8'),
    };
  } else {
    converted = { type: 'base64', media_type: source.mediaType, data: source.data };
  }
  const block: AnthropicDocumentBlock = { type: 'document', source: converted };
  if (part.filename) block.title = part.filename;
  return block;
}

function toolResultBlock(part: ToolResultPart): AnthropicToolResultBlock {
  const content = part.content.flatMap((item): Array<AnthropicTextBlock | AnthropicImageBlock> => {
    if (item.type === 'image') return [imageBlock(item)];
    return item.text === '' ? [] : [textBlock(item)];
  });
  const block: AnthropicToolResultBlock = { type: 'tool_result', tool_use_id: part.toolCallId, content };
  if (part.isError !== undefined) block.is_error = part.isError;
  return block;
}

/**
 * Reasoning parts go back only as Anthropic can verify them: signed thinking or redacted data. Anthropic
 * rejects a thinking block whose signature is missing or not its own, and reasoning produced by another
 * provider (OpenAI encrypted content, Gemini thoughts) has none, so such parts are dropped rather than
 * failing the whole request.
 */
function assistantBlocks(
  part: AssistantPart,
  messageIndex: number,
  partIndex: number,
): AnthropicAssistantBlock[] {
  switch (part.type) {
    case 'text':
      return part.text === '' ? [] : [textBlock(part)];
    case 'reasoning':
      if (part.redactedData !== undefined) return [{ type: 'redacted_thinking', data: part.redactedData }];
      if (part.signature) return [{ type: 'thinking', thinking: part.text, signature: part.signature }];
      return [];
    case 'tool-call':
      return [
        {
          type: 'tool_use',
          id: part.id,
          name: part.name,
          input: parseToolArguments(part, messageIndex, partIndex),
        },
      ];
  }
}

/** Anthropic takes the input as an object; a call made with no arguments has an empty text. */
function parseToolArguments(part: ToolCallPart, messageIndex: number, partIndex: number): unknown {
  if (part.arguments.trim() === '') return {};
  try {
    return JSON.parse(part.arguments) as unknown;
  } catch {
    throw invalidRequest(
      `The arguments of the call to tool "${part.name}" are not valid JSON`,
      `messages[${messageIndex}].content[${partIndex}]`,
    );
  }
}
