/**
 * Canonical request -> Gemini generateContent / streamGenerateContent JSON body.
 */

import type {
  AssistantPart,
  CanonicalMessage,
  FilePart,
  ImagePart,
  ProviderRequest,
  ToolChoice,
  ToolResultPart,
  UserPart,
} from '../../core/canonical-request.js';
import { parseDataUrl } from '../../core/data-url.js';
import { GatewayError, invalidRequest } from '../../core/errors.js';
import type { JsonTextPath } from './clean-gemini-schema.js';
import {
  ARRAY_ITEMS,
  cleanGeminiSchema,
  cleanGeminiSchemaNode,
  isEmptyObjectSchema,
} from './clean-gemini-schema.js';
import { guessMediaType } from './guess-media-type.js';
import type { GeminiThinkingConfig } from './map-gemini-thinking-config.js';
import { isGemini3OrLater, mapGeminiThinkingConfig } from './map-gemini-thinking-config.js';

export interface GeminiPart {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  inlineData?: { mimeType: string; data: string };
  fileData?: { fileUri: string; mimeType: string };
  functionCall?: { id?: string; name: string; args: Record<string, unknown> };
  functionResponse?: { id?: string; name: string; response: Record<string, unknown> };
}

export interface GeminiContent {
  role: 'user' | 'model';
  parts: GeminiPart[];
}

export interface GeminiFunctionDeclaration {
  name: string;
  description?: string;
  parameters?: Record<string, unknown>;
}

export interface GeminiGenerationConfig {
  temperature?: number;
  topP?: number;
  topK?: number;
  maxOutputTokens?: number;
  stopSequences?: string[];
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  responseMimeType?: string;
  responseSchema?: Record<string, unknown>;
  thinkingConfig?: GeminiThinkingConfig;
}

export interface GeminiRequest {
  contents: GeminiContent[];
  systemInstruction?: { parts: Array<{ text: string }> };
  tools?: Array<{ functionDeclarations: GeminiFunctionDeclaration[] }>;
  toolConfig?: {
    functionCallingConfig: { mode: 'AUTO' | 'ANY' | 'NONE' | 'VALIDATED'; allowedFunctionNames?: string[] };
  };
  generationConfig?: GeminiGenerationConfig;
}

/**
 * Gemini 3 rejects a function call without a thought signature (400). History produced by another
 * provider has none; Google documents this value as the way to skip the check for such turns.
 */
export const SKIP_THOUGHT_SIGNATURE = 'skip_thought_signature_validator';

/** The body to send, and what reading the answer needs to know about it. */
export interface GeminiCall {
  body: GeminiRequest;
  /**
   * Per tool name, where a free-form object in its parameters is sent as JSON text
   * (clean-gemini-schema.ts); the stream decoder puts the objects back into the call's arguments.
   */
  jsonTextArgs: Map<string, JsonTextPath[]>;
}

/** Parallel tool calls cannot be turned off on Gemini; the request goes on and the client is told. */
export const PARALLEL_TOOL_CALLS_IGNORED =
  'ignored parameter parallel_tool_calls=false: Gemini has no way to turn parallel tool calls off, so the model may still call several tools at once';

/** Where the Gemini wire of an API differs. */
export interface GeminiCallOptions {
  /**
   * Whether functionCallingConfig takes mode VALIDATED (default true): the Gemini API's v1beta does;
   * Vertex's v1, which the vertex provider calls, does not list it.
   */
  validatedMode?: boolean;
}

export function convertToGeminiRequest(
  request: ProviderRequest,
  warn?: (message: string) => void,
  options: GeminiCallOptions = {},
): GeminiRequest {
  return convertToGeminiCall(request, warn, options).body;
}

/**
 * `warn` hears about request fields Gemini has no counterpart for and that were left out (the gateway
 * returns them to the client in `x-junction-warning`).
 */
export function convertToGeminiCall(
  request: ProviderRequest,
  warn?: (message: string) => void,
  options: GeminiCallOptions = {},
): GeminiCall {
  const jsonTextArgs = new Map<string, JsonTextPath[]>();
  const contents = convertMessages(request);
  if (contents.length === 0) {
    // Every message was empty (or only a system prompt): Gemini refuses a request without contents.
    throw invalidRequest(
      'Gemini needs at least one message with content; every message here is empty',
      'messages',
    );
  }
  refuseEmptyLastUserMessage(request.messages);
  const body: GeminiRequest = { contents };

  // Gemini refuses an empty text part ("required oneof field 'data'"); an empty system prompt is none.
  const system = request.messages.flatMap((m) =>
    m.role === 'system' ? m.content.filter((p) => p.text !== '') : [],
  );
  if (system.length > 0) body.systemInstruction = { parts: system.map((p) => ({ text: p.text })) };

  if (request.tools && request.tools.length > 0) {
    body.tools = [
      {
        functionDeclarations: request.tools.map((tool) => {
          const declaration: GeminiFunctionDeclaration = { name: tool.name };
          if (tool.description !== undefined) declaration.description = tool.description;
          const jsonText: JsonTextPath[] = [];
          const parameters = cleanGeminiSchema(tool.parameters, jsonText);
          if (parameters) declaration.parameters = parameters;
          if (jsonText.length > 0) jsonTextArgs.set(tool.name, jsonText);
          return declaration;
        }),
      },
    ];
    const strict = options.validatedMode !== false && request.tools.some((tool) => tool.strict === true);
    const functionCallingConfig = mapToolChoice(request.toolChoice, strict);
    if (functionCallingConfig) body.toolConfig = { functionCallingConfig };
    // Gemini's function calling config has no parallel switch (as Bedrock Converse and Cohere have none).
    if (request.parallelToolCalls === false && request.toolChoice?.type !== 'none')
      warn?.(PARALLEL_TOOL_CALLS_IGNORED);
  }

  const generationConfig = convertGenerationConfig(request);
  if (Object.keys(generationConfig).length > 0) body.generationConfig = generationConfig;
  return { body, jsonTextArgs };
}

function convertGenerationConfig(request: ProviderRequest): GeminiGenerationConfig {
  const config: GeminiGenerationConfig = {};
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.topP !== undefined) config.topP = request.topP;
  if (request.topK !== undefined) config.topK = request.topK;
  if (request.maxOutputTokens !== undefined) config.maxOutputTokens = request.maxOutputTokens;
  if (request.stop && request.stop.length > 0) config.stopSequences = request.stop;
  if (request.seed !== undefined) config.seed = request.seed;
  if (request.presencePenalty !== undefined) config.presencePenalty = request.presencePenalty;
  if (request.frequencyPenalty !== undefined) config.frequencyPenalty = request.frequencyPenalty;
  const format = request.responseFormat;
  if (format?.type === 'json_object') config.responseMimeType = 'application/json';
  if (format?.type === 'json_schema') {
    config.responseMimeType = 'application/json';
    const responseSchema = convertResponseSchema(format.schema);
    if (responseSchema) config.responseSchema = responseSchema;
  }
  const thinking = mapGeminiThinkingConfig(request.upstreamModel, request.reasoning);
  if (thinking) config.thinkingConfig = thinking;
  return config;
}

/**
 * The response schema in Gemini's subset. A top-level object without properties (any JSON object) is JSON
 * output without a schema, since Gemini refuses an OBJECT without properties. A free-form object further
 * down has no form Gemini accepts whose answer would still match the client's schema (a tool argument
 * can go as JSON text and be parsed back, streamed answer text cannot), so it is refused.
 */
function convertResponseSchema(schema: Record<string, unknown>): Record<string, unknown> | undefined {
  const jsonText: JsonTextPath[] = [];
  const cleaned = cleanGeminiSchemaNode(schema, jsonText);
  const first = jsonText[0];
  if (first) {
    const at = first.map((s) => (s === ARRAY_ITEMS ? '[]' : `.${s}`)).join('');
    throw new GatewayError(
      'unsupported',
      `response_format: Gemini's response schema cannot describe an object without properties (at ${at.replace(/^\./, '')}), such as a map; declare its properties`,
      { param: 'response_format' },
    );
  }
  return isEmptyObjectSchema(cleaned) ? undefined : cleaned;
}

/**
 * Strict tools (OpenAI's `strict`, which the OpenAI Agents SDK sets by default) get VALIDATED where the
 * model chooses: like AUTO it may call a tool or answer in text, but its calls are constrained to the
 * declared schemas. Required and named choices keep ANY, since VALIDATED would let the model answer in
 * text; none keeps NONE. VALIDATED covers every tool of the request, so non-strict tools beside a strict
 * one are held to their schemas too.
 */
function mapToolChoice(
  choice: ToolChoice | undefined,
  strict: boolean,
): NonNullable<GeminiRequest['toolConfig']>['functionCallingConfig'] | undefined {
  switch (choice?.type) {
    case undefined:
      return strict ? { mode: 'VALIDATED' } : undefined;
    case 'auto':
      return { mode: strict ? 'VALIDATED' : 'AUTO' };
    case 'none':
      return { mode: 'NONE' };
    case 'required':
      return { mode: 'ANY' };
    case 'tool':
      return { mode: 'ANY', allowedFunctionNames: [choice.name] };
  }
}

/**
 * An empty last user message would be dropped like any empty message, leaving the model turn before it
 * last, which Gemini continues as a prefill: a different request from the one the client sent.
 */
function refuseEmptyLastUserMessage(messages: readonly CanonicalMessage[]): void {
  const index = messages.length - 1;
  const last = messages[index];
  if (last?.role !== 'user') return;
  if (!last.content.every((part) => part.type === 'text' && part.text === '')) return;
  throw invalidRequest(
    `messages[${index}]: the last user message is empty; Gemini needs content to answer`,
    `messages[${index}].content`,
  );
}

function convertMessages(request: ProviderRequest): GeminiContent[] {
  const contents: GeminiContent[] = [];
  const toolNames = new Map<string, string>();
  const needsSignature = isGemini3OrLater(request.upstreamModel);

  request.messages.forEach((message, index) => {
    const parts = convertMessage(message, index, toolNames, needsSignature);
    if (parts.length === 0) return;
    const role = message.role === 'assistant' ? 'model' : 'user';
    const last = contents.at(-1);
    // Gemini wants alternating turns; parallel function responses must share one content.
    if (last && last.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  });
  return contents;
}

function convertMessage(
  message: CanonicalMessage,
  index: number,
  toolNames: Map<string, string>,
  needsSignature: boolean,
): GeminiPart[] {
  switch (message.role) {
    case 'system':
      return [];
    case 'user':
      return message.content.flatMap((part) => convertUserPart(part));
    case 'assistant':
      return convertAssistant(message.content, index, toolNames, needsSignature);
    case 'tool':
      return message.content.flatMap((part, j) =>
        convertToolResult(part, `messages[${index}].content[${j}]`, toolNames),
      );
  }
}

/** Gemini refuses an empty text part; it carries nothing, so it is dropped (a message left empty goes too). */
function convertUserPart(part: UserPart): GeminiPart[] {
  switch (part.type) {
    case 'text':
      return part.text === '' ? [] : [{ text: part.text }];
    case 'image':
      return [convertMedia(part, 'image/jpeg')];
    case 'file':
      return [convertMedia(part, 'application/pdf')];
  }
}

function convertMedia(part: ImagePart | FilePart, fallbackType: string): GeminiPart {
  const { source } = part;
  if (source.kind === 'base64') return { inlineData: { mimeType: source.mediaType, data: source.data } };
  const inline = parseDataUrl(source.url);
  if (inline) return { inlineData: { mimeType: inline.mediaType, data: inline.data } };
  return { fileData: { fileUri: source.url, mimeType: guessMediaType(source.url, fallbackType) } };
}

function convertAssistant(
  content: AssistantPart[],
  index: number,
  toolNames: Map<string, string>,
  needsSignature: boolean,
): GeminiPart[] {
  const parts: GeminiPart[] = [];
  let sawFunctionCall = false;
  content.forEach((part, j) => {
    switch (part.type) {
      case 'text': {
        const signature = part.providerData?.gemini?.thoughtSignature;
        if (part.text === '' && !signature) return;
        parts.push(signature ? { text: part.text, thoughtSignature: signature } : { text: part.text });
        return;
      }
      case 'reasoning': {
        // Thought summaries go back as thought parts; opaque blocks from other providers mean nothing here.
        const signature = part.providerData?.gemini?.thoughtSignature;
        if (part.text === '' && !signature) return;
        parts.push(
          signature
            ? { text: part.text, thought: true, thoughtSignature: signature }
            : { text: part.text, thought: true },
        );
        return;
      }
      case 'tool-call': {
        toolNames.set(part.id, part.name);
        const gemini: GeminiPart = {
          functionCall: {
            id: part.id,
            name: part.name,
            args: parseArguments(part.arguments, `messages[${index}].content[${j}].arguments`),
          },
        };
        let signature = part.providerData?.gemini?.thoughtSignature;
        // Only the first call of a step carries a signature; Gemini 3 insists on it being there.
        if (!signature && !sawFunctionCall && needsSignature) signature = SKIP_THOUGHT_SIGNATURE;
        if (signature) gemini.thoughtSignature = signature;
        sawFunctionCall = true;
        parts.push(gemini);
        return;
      }
    }
  });
  return parts;
}

function parseArguments(text: string, param: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidRequest('Tool call arguments must be a JSON object', param);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalidRequest('Tool call arguments must be a JSON object', param);
  }
  return parsed as Record<string, unknown>;
}

function convertToolResult(
  part: ToolResultPart,
  param: string,
  toolNames: Map<string, string>,
): GeminiPart[] {
  const name = part.toolName ?? toolNames.get(part.toolCallId);
  if (!name) throw invalidRequest(`No tool call with id ${part.toolCallId} precedes this tool result`, param);
  const text = part.content.flatMap((c) => (c.type === 'text' ? [c.text] : [])).join('');
  const response = part.isError ? { error: text } : toResponseObject(text);
  const parts: GeminiPart[] = [{ functionResponse: { id: part.toolCallId, name, response } }];
  // Images returned by a tool follow the response as ordinary parts of the same user turn, which every
  // Gemini model accepts (multimodal function responses are Gemini 3 only).
  for (const c of part.content) if (c.type === 'image') parts.push(convertMedia(c, 'image/jpeg'));
  return parts;
}

/** A tool result that is a JSON object is passed as the response itself; anything else is wrapped. */
function toResponseObject(text: string): Record<string, unknown> {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
        return parsed as Record<string, unknown>;
    } catch {
      // Not JSON after all: wrap it as text.
    }
  }
  return { result: text };
}
