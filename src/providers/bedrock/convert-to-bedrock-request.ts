/**
 * Canonical request → Bedrock Converse body (POST /model/{modelId}/converse-stream). The model id rides in
 * the URL, not the body; content blocks are keyed by shape (`{text}`, `{image}`, `{toolUse}`, ...).
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
import { parseDataUrl } from '../../core/data-url.js';
import { GatewayError, invalidRequest } from '../../core/errors.js';
import { defaultMaxTokens } from '../anthropic/anthropic-max-tokens.js';
import { MIN_TOP_P_WITH_THINKING } from '../anthropic/convert-to-anthropic-request.js';
import { fitThinkingToToolLoop } from '../anthropic/fit-thinking-to-tool-loop.js';
import { mapAnthropicThinking } from '../anthropic/map-anthropic-thinking.js';
import { refuseBlankStopSequences } from '../anthropic/refuse-blank-stop-sequences.js';
import { refuseSeedAndPenalties } from '../shared/unsupported-parameter.js';
import { mapBedrockModelReasoning } from './map-bedrock-model-reasoning.js';

export type BedrockCachePoint = { cachePoint: { type: 'default' } };
export type BedrockTextBlock = { text: string };

type MediaSource = { bytes: string } | { s3Location: { uri: string } };

export type BedrockImageBlock = { image: { format: string; source: MediaSource } };
export type BedrockDocumentBlock = { document: { format: string; name: string; source: MediaSource } };

export type BedrockToolResultBlock = {
  toolResult: {
    toolUseId: string;
    content: Array<BedrockTextBlock | BedrockImageBlock>;
    status?: 'error';
  };
};

export type BedrockReasoningBlock = {
  reasoningContent: { reasoningText: { text: string; signature: string } } | { redactedContent: string };
};

export type BedrockToolUseBlock = { toolUse: { toolUseId: string; name: string; input: unknown } };

export type BedrockContentBlock =
  | BedrockTextBlock
  | BedrockImageBlock
  | BedrockDocumentBlock
  | BedrockToolUseBlock
  | BedrockToolResultBlock
  | BedrockReasoningBlock
  | BedrockCachePoint;

export interface BedrockMessage {
  role: 'user' | 'assistant';
  content: BedrockContentBlock[];
}

export interface BedrockToolSpec {
  toolSpec: {
    name: string;
    description?: string;
    inputSchema: { json: Record<string, unknown> };
    strict?: boolean;
  };
}

export type BedrockToolChoice =
  | { auto: Record<string, never> }
  | { any: Record<string, never> }
  | { tool: { name: string } };

export interface BedrockConverseBody {
  messages: BedrockMessage[];
  system?: Array<BedrockTextBlock | BedrockCachePoint>;
  inferenceConfig?: { maxTokens?: number; temperature?: number; topP?: number; stopSequences?: string[] };
  toolConfig?: { tools: Array<BedrockToolSpec | BedrockCachePoint>; toolChoice?: BedrockToolChoice };
  additionalModelRequestFields?: Record<string, unknown>;
  outputConfig?: {
    textFormat: {
      type: 'json_schema';
      structure: { jsonSchema: { name: string; schema: string; description?: string } };
    };
  };
}

/** Bedrock has no JSON mode without a schema; an instruction is the closest faithful rendering. */
export const JSON_OBJECT_INSTRUCTION = 'Respond with a single JSON object only.';

/** Bedrock rejects empty text blocks, also inside tool results; an empty tool output still needs one. */
export const EMPTY_TOOL_RESULT_TEXT = '(empty)';

const CACHE_POINT: BedrockCachePoint = { cachePoint: { type: 'default' } };

const IMAGE_FORMATS = new Set(['png', 'jpeg', 'gif', 'webp']);

const DOCUMENT_FORMATS: Record<string, string> = {
  'application/pdf': 'pdf',
  'text/csv': 'csv',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'text/html': 'html',
  'text/plain': 'txt',
  'text/markdown': 'md',
};
const DOCUMENT_EXTENSIONS = new Set(Object.values(DOCUMENT_FORMATS));

/**
 * `warn` hears about request fields Bedrock cannot take for this model and that were left out (the gateway
 * returns them to the client in `x-junction-warning`).
 */
export function convertToBedrockRequest(
  sent: ProviderRequest,
  providerName: string,
  warn?: (message: string) => void,
): BedrockConverseBody {
  refuseUnsupported(sent, providerName);
  const claude = isAnthropicModel(sent.upstreamModel);
  const request = claude ? fitThinkingToToolLoop(sent, warn) : sent;
  const context: ConvertContext = { documents: 0 };
  const system: Array<BedrockTextBlock | BedrockCachePoint> = [];
  const messages: BedrockMessage[] = [];
  request.messages.forEach((message, index) => {
    if (message.role === 'system') {
      for (const part of message.content) system.push(...textBlocks(part));
      return;
    }
    appendMessage(messages, convertMessage(message, index, context));
  });
  if (request.responseFormat?.type === 'json_object') system.push({ text: JSON_OBJECT_INSTRUCTION });

  const body: BedrockConverseBody = { messages };
  if (system.length > 0) body.system = system;

  // Thinking and effort are Claude's, passed through additionalModelRequestFields in the Messages API's
  // own shape; other models take their own fields there, or refuse reasoning (map-bedrock-model-reasoning.ts).
  const reasoning = claude
    ? mapAnthropicThinking(request.upstreamModel, request.reasoning)
    : { thinks: false };
  const modelReasoning = claude
    ? {}
    : mapBedrockModelReasoning(request.upstreamModel, request.reasoning, providerName);
  const budget = reasoning.thinking?.type === 'enabled' ? reasoning.thinking.budget_tokens : undefined;
  const inference: NonNullable<BedrockConverseBody['inferenceConfig']> = {};
  let maxTokens = request.maxOutputTokens;
  if (budget !== undefined) {
    // maxTokens counts thinking and answer together and must exceed the budget; adding the budget keeps
    // the room the client asked for (or the model's own ceiling) for the visible answer.
    maxTokens ??= defaultMaxTokens(request.upstreamModel);
    if (maxTokens <= budget) maxTokens += budget;
  }
  const stripped: string[] = [];
  if (maxTokens !== undefined) {
    if (modelReasoning.withoutMaxTokens) stripped.push('max_tokens');
    else inference.maxTokens = maxTokens;
  }
  if (reasoning.thinks) {
    // Claude rejects temperature (other than 1) and top_k with thinking on, so they are left out.
    if (request.topP !== undefined && request.topP >= MIN_TOP_P_WITH_THINKING) inference.topP = request.topP;
    else if (request.topP !== undefined) stripped.push('top_p');
    if (request.temperature !== undefined) stripped.push('temperature');
    if (request.topK !== undefined) stripped.push('top_k');
  } else {
    if (request.temperature !== undefined) inference.temperature = request.temperature;
    if (request.topP !== undefined) inference.topP = request.topP;
  }
  if (request.stop && request.stop.length > 0) inference.stopSequences = request.stop;
  if (Object.keys(inference).length > 0) body.inferenceConfig = inference;

  const toolConfig = convertTools(request, messages);
  if (toolConfig) body.toolConfig = toolConfig;

  const additional: Record<string, unknown> = { ...modelReasoning.fields };
  if (reasoning.thinking) additional.thinking = reasoning.thinking;
  if (reasoning.effort !== undefined) additional.output_config = { effort: reasoning.effort };
  if (claude && !reasoning.thinks && request.topK !== undefined) additional.top_k = request.topK;
  if (Object.keys(additional).length > 0) body.additionalModelRequestFields = additional;
  if (!claude && request.topK !== undefined) stripped.push('top_k');
  if (stripped.length > 0) {
    const why = reasoning.thinks ? 'with Claude thinking' : `for ${request.upstreamModel}`;
    warn?.(`stripped unsupported parameter(s) on Bedrock ${why}: ${stripped.join(', ')}`);
  }
  if (modelReasoning.warning) warn?.(modelReasoning.warning);

  if (request.responseFormat?.type === 'json_schema') {
    const { name, schema, description } = request.responseFormat;
    // Converse takes the schema as a JSON text, as the recorded native-output request shows.
    body.outputConfig = {
      textFormat: {
        type: 'json_schema',
        structure: {
          jsonSchema: { name, schema: JSON.stringify(schema), ...(description ? { description } : {}) },
        },
      },
    };
  }
  return body;
}

/** Claude on Bedrock: `anthropic.claude-...`, inference profiles `us.anthropic.claude-...`, ARNs naming one. */
export function isAnthropicModel(modelId: string): boolean {
  return /anthropic|claude/i.test(modelId);
}

/**
 * Converse has no `none` tool choice, and refuses a history holding toolUse / toolResult blocks unless
 * toolConfig is present. So `none` withholds the tools when the history has no tool blocks, and otherwise
 * sends them without a choice (the model decides; Bedrock offers nothing stricter).
 */
function convertTools(
  request: ProviderRequest,
  messages: BedrockMessage[],
): BedrockConverseBody['toolConfig'] | undefined {
  const tools = request.tools ?? [];
  if (tools.length === 0) return undefined;
  if (request.toolChoice?.type === 'none' && !hasToolBlocks(messages)) return undefined;
  const specs: Array<BedrockToolSpec | BedrockCachePoint> = [];
  for (const tool of tools) {
    // A client's `parameters: {}` has no type; the models behind Converse need an object schema.
    const json = { type: 'object', ...tool.parameters };
    const spec: BedrockToolSpec['toolSpec'] = { name: tool.name, inputSchema: { json } };
    if (tool.description !== undefined) spec.description = tool.description;
    if (tool.strict === true) spec.strict = true;
    specs.push({ toolSpec: spec });
    if (tool.cacheControl) specs.push(CACHE_POINT);
  }
  const toolChoice = convertToolChoice(request.toolChoice);
  return toolChoice ? { tools: specs, toolChoice } : { tools: specs };
}

function convertToolChoice(choice: ToolChoice | undefined): BedrockToolChoice | undefined {
  switch (choice?.type) {
    case 'auto':
      return { auto: {} };
    case 'required':
      return { any: {} };
    case 'tool':
      return { tool: { name: choice.name } };
    default:
      return undefined;
  }
}

function hasToolBlocks(messages: BedrockMessage[]): boolean {
  return messages.some((message) =>
    message.content.some((block) => 'toolUse' in block || 'toolResult' in block),
  );
}

interface ConvertContext {
  /** Documents seen so far, for the default names ("Document 1", ...). */
  documents: number;
}

function convertMessage(
  message: Exclude<CanonicalMessage, { role: 'system' }>,
  index: number,
  context: ConvertContext,
): BedrockMessage {
  switch (message.role) {
    case 'user':
      return {
        role: 'user',
        content: message.content.flatMap((part, j) =>
          userBlocks(part, `messages[${index}].content[${j}]`, context),
        ),
      };
    case 'tool':
      return {
        role: 'user',
        content: message.content.flatMap((part, j) =>
          toolResultBlocks(part, `messages[${index}].content[${j}]`),
        ),
      };
    case 'assistant':
      return {
        role: 'assistant',
        content: message.content.flatMap((part, j) => assistantBlocks(part, index, j)),
      };
  }
}

/**
 * Converse requires alternating roles, so consecutive same-role messages (a tool message then a user
 * message, or several tool messages in OpenAI style) become one. Messages left empty are dropped.
 */
function appendMessage(messages: BedrockMessage[], next: BedrockMessage): void {
  if (next.content.length === 0) return;
  const last = messages.at(-1);
  if (last?.role === next.role) {
    const merged = [...last.content, ...next.content];
    // Claude (behind Converse) wants the tool results of a user turn before its other content.
    last.content =
      next.role === 'user'
        ? [
            ...merged.filter((block) => 'toolResult' in block),
            ...merged.filter((block) => !('toolResult' in block)),
          ]
        : merged;
  } else {
    messages.push(next);
  }
}

/** Text, then a cache point when the part is a prompt-caching breakpoint. Empty text is dropped. */
function textBlocks(part: TextPart): Array<BedrockTextBlock | BedrockCachePoint> {
  if (part.text === '') return part.cacheControl ? [CACHE_POINT] : [];
  return part.cacheControl ? [{ text: part.text }, CACHE_POINT] : [{ text: part.text }];
}

function userBlocks(part: UserPart, param: string, context: ConvertContext): BedrockContentBlock[] {
  switch (part.type) {
    case 'text':
      return textBlocks(part);
    case 'image':
      return [imageBlock(part, param)];
    case 'file':
      return [documentBlock(part, param, context)];
  }
}

function imageBlock(part: ImagePart, param: string): BedrockImageBlock {
  const { mediaType, source } = mediaSource(part.source, 'image', param);
  const format = mediaType === undefined ? formatFromPath(sourcePath(source)) : imageFormat(mediaType);
  if (format === undefined || !IMAGE_FORMATS.has(format)) {
    throw new GatewayError(
      'unsupported',
      `Bedrock accepts png, jpeg, gif and webp images; this one is ${mediaType ?? 'of unknown type'}`,
      {
        param,
      },
    );
  }
  return { image: { format, source } };
}

function documentBlock(part: FilePart, param: string, context: ConvertContext): BedrockDocumentBlock {
  const { mediaType, source } = mediaSource(part.source, 'file', param);
  const format =
    (mediaType !== undefined ? DOCUMENT_FORMATS[mediaType.split(';')[0]!.trim().toLowerCase()] : undefined) ??
    formatFromPath(part.filename ?? sourcePath(source));
  if (format === undefined || !DOCUMENT_EXTENSIONS.has(format)) {
    throw new GatewayError(
      'unsupported',
      `Bedrock accepts pdf, csv, doc, docx, xls, xlsx, html, txt and md documents; this one is ${mediaType ?? 'of unknown type'}`,
      { param },
    );
  }
  context.documents += 1;
  return { document: { format, name: documentName(part.filename, context.documents), source } };
}

/**
 * Inline data goes as base64 `bytes`; `s3://` URLs as an S3 location Bedrock reads itself. Bedrock cannot
 * fetch web URLs, and the gateway does not fetch on the client's behalf, so those are refused by name.
 */
function mediaSource(
  source: ImagePart['source'],
  kind: 'image' | 'file',
  param: string,
): { mediaType?: string; source: MediaSource } {
  if (source.kind === 'base64') return { mediaType: source.mediaType, source: { bytes: source.data } };
  const inline = parseDataUrl(source.url);
  if (inline) return { mediaType: inline.mediaType, source: { bytes: inline.data } };
  if (source.url.startsWith('s3://')) return { source: { s3Location: { uri: source.url } } };
  const what = kind === 'image' ? 'image URLs' : 'file URLs';
  throw new GatewayError(
    'unsupported',
    `Bedrock does not support ${what}; send the ${kind} inline as base64 data or as an s3:// URL`,
    { param },
  );
}

function sourcePath(source: MediaSource): string | undefined {
  return 's3Location' in source ? source.s3Location.uri : undefined;
}

function imageFormat(mediaType: string): string | undefined {
  const subtype = /^image\/([a-z0-9.+-]+)/i.exec(mediaType.trim())?.[1]?.toLowerCase();
  return subtype === 'jpg' ? 'jpeg' : subtype;
}

function formatFromPath(path: string | undefined): string | undefined {
  const extension = path ? /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase() : undefined;
  return extension === 'jpg' ? 'jpeg' : extension;
}

/**
 * Document names may hold only letters, digits, single spaces, hyphens, parentheses and square brackets;
 * anything else in a filename becomes a space. No usable filename gives "Document N".
 */
function documentName(filename: string | undefined, ordinal: number): string {
  const cleaned = (filename ?? '')
    .replace(/[^\p{L}\p{N}\s\-()[\]]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200)
    .trim();
  return cleaned === '' ? `Document ${ordinal}` : cleaned;
}

function toolResultBlocks(part: ToolResultPart, param: string): BedrockContentBlock[] {
  const content: Array<BedrockTextBlock | BedrockImageBlock> = [];
  let cache = false;
  part.content.forEach((item, k) => {
    if (item.type === 'image') content.push(imageBlock(item, `${param}.content[${k}]`));
    else if (item.text !== '') content.push({ text: item.text });
    if (item.type === 'text' && item.cacheControl) cache = true;
  });
  if (content.length === 0) content.push({ text: EMPTY_TOOL_RESULT_TEXT });
  const block: BedrockToolResultBlock = { toolResult: { toolUseId: part.toolCallId, content } };
  if (part.isError === true) block.toolResult.status = 'error';
  return cache ? [block, CACHE_POINT] : [block];
}

/**
 * Reasoning goes back only as Bedrock can verify it: signed reasoning text or redacted content. Claude
 * rejects reasoning without its own signature, and reasoning from other providers has none, so such
 * parts are dropped rather than failing the whole request.
 */
function assistantBlocks(
  part: AssistantPart,
  messageIndex: number,
  partIndex: number,
): BedrockContentBlock[] {
  switch (part.type) {
    case 'text':
      return textBlocks(part);
    case 'reasoning':
      if (part.redactedData !== undefined)
        return [{ reasoningContent: { redactedContent: part.redactedData } }];
      if (part.signature)
        return [{ reasoningContent: { reasoningText: { text: part.text, signature: part.signature } } }];
      return [];
    case 'tool-call':
      return [
        {
          toolUse: {
            toolUseId: part.id,
            name: part.name,
            input: parseToolArguments(part, messageIndex, partIndex),
          },
        },
      ];
  }
}

/** Converse takes the input as a JSON value; a call made with no arguments has an empty text. */
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

/** Request fields Converse has nothing for: a 400 naming the field, not a silent drop. */
function refuseUnsupported(request: ProviderRequest, providerName: string): void {
  refuseSeedAndPenalties(request, providerName, 'the Bedrock Converse API');
  // Claude on Bedrock refuses a whitespace-only stop sequence as the Anthropic API does.
  if (isAnthropicModel(request.upstreamModel)) refuseBlankStopSequences(request.stop, providerName);
}
