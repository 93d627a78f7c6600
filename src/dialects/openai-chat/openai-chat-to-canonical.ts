/**
 * Chat Completions request -> canonical request.
 */
import type {
  AssistantPart,
  CanonicalMessage,
  CanonicalRequest,
  ImagePart,
  ProviderData,
  ReasoningPart,
  ResponseFormat,
  ToolChoice,
  UserPart,
} from '../../core/canonical-request.js';
import { penaltyOf } from '../../core/canonical-request.js';
import { parseDataUrl } from '../../core/data-url.js';
import { invalidRequest } from '../../core/errors.js';
import { reasoningForRung } from '../../core/reasoning-effort.js';
import { decodeGeminiSignature } from '../shared/gemini-thought-signature.js';
import type { SourceTrace } from '../shared/source-trace.js';
import { traceFrom, traceList } from '../shared/source-trace.js';
import type { ChatCompletionRequest, ChatMessage } from './openai-chat-schema.js';
import { IGNORABLE_FIELDS, MODELED_FIELDS } from './openai-chat-schema.js';

/** `trace`, when given, records where each message and part came from (see source-trace.ts). */
export function openAIChatToCanonical(body: ChatCompletionRequest, trace?: SourceTrace): CanonicalRequest {
  const request: CanonicalRequest = {
    model: body.model,
    messages: body.messages.map((message, index) => {
      const converted = convertMessage(message, index);
      if (trace) traceMessage(trace, message, converted, `messages[${index}]`);
      return converted;
    }),
    stream: body.stream === true,
  };
  if (body.tools && body.tools.length > 0) {
    request.tools = body.tools.map((tool) => ({
      name: tool.function.name,
      ...(tool.function.description !== undefined ? { description: tool.function.description } : {}),
      parameters: tool.function.parameters ?? { type: 'object', properties: {} },
      ...(tool.function.strict != null ? { strict: tool.function.strict } : {}),
    }));
  }
  if (body.tool_choice != null) request.toolChoice = convertToolChoice(body.tool_choice);
  if (body.parallel_tool_calls != null) request.parallelToolCalls = body.parallel_tool_calls;
  if (body.response_format != null) request.responseFormat = convertResponseFormat(body.response_format);
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (maxTokens != null) request.maxOutputTokens = maxTokens;
  if (body.temperature != null) request.temperature = body.temperature;
  if (body.top_p != null) request.topP = body.top_p;
  if (body.top_k != null) request.topK = body.top_k;
  if (body.stop != null) request.stop = typeof body.stop === 'string' ? [body.stop] : body.stop;
  if (body.seed != null) request.seed = body.seed;
  // 0 is OpenAI's default: it asks for nothing, so a provider without penalties need not refuse it.
  const presencePenalty = penaltyOf(body.presence_penalty);
  if (presencePenalty !== undefined) request.presencePenalty = presencePenalty;
  const frequencyPenalty = penaltyOf(body.frequency_penalty);
  if (frequencyPenalty !== undefined) request.frequencyPenalty = frequencyPenalty;
  if (body.reasoning_effort != null) request.reasoning = reasoningForRung(body.reasoning_effort);
  if (body.user != null) request.user = body.user;
  if (body.metadata != null) request.metadata = body.metadata;
  return request;
}

/** Client fields a translated path cannot honour (see DecodedRequest.unmodeled). */
export function findUnmodeledFields(body: Record<string, unknown>): string[] {
  const fields: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (value === null || value === undefined || value === false) continue;
    if (MODELED_FIELDS.has(key) || IGNORABLE_FIELDS.has(key)) continue;
    if (isOpenAIDefault(key, value)) continue;
    fields.push(key);
  }
  if (typeof body.n === 'number' && body.n > 1) fields.push('n');
  return fields;
}

/**
 * A field set to what OpenAI does anyway asks for nothing a translated path would miss (SDKs and agents
 * send `modalities: ["text"]` explicitly), so it is not refused.
 */
function isOpenAIDefault(key: string, value: unknown): boolean {
  return key === 'modalities' && Array.isArray(value) && value.length === 1 && value[0] === 'text';
}

function convertMessage(message: ChatMessage, index: number): CanonicalMessage {
  switch (message.role) {
    case 'system':
    case 'developer':
      return { role: 'system', content: textParts(message.content) };
    case 'user':
      return { role: 'user', content: userParts(message.content, index) };
    case 'assistant':
      return { role: 'assistant', content: assistantParts(message) };
    case 'tool':
      return {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: message.tool_call_id,
            content: textParts(message.content),
          },
        ],
      };
  }
}

/** Messages map one to one; within one, parts follow the content, reasoning and tool calls they came from. */
function traceMessage(
  trace: SourceTrace,
  message: ChatMessage,
  converted: CanonicalMessage,
  path: string,
): void {
  trace.set(converted, path);
  if (message.role === 'tool') {
    traceFrom(trace, converted.content, 0, path);
    return;
  }
  if (message.role !== 'assistant') {
    traceList(trace, converted.content, message.content, `${path}.content`);
    return;
  }
  let call = 0;
  for (const part of converted.content) {
    if (part.type === 'tool-call') trace.set(part, `${path}.tool_calls[${call++}]`);
    else if (part.type === 'text') trace.set(part, `${path}.content`);
    else if (part.type === 'reasoning')
      trace.set(
        part,
        message.reasoning_details?.length ? `${path}.reasoning_details` : `${path}.reasoning_content`,
      );
  }
}

function textParts(
  content: string | Array<{ type: 'text'; text: string }>,
): Array<{ type: 'text'; text: string }> {
  return typeof content === 'string'
    ? [{ type: 'text', text: content }]
    : content.map((part) => ({ type: 'text', text: part.text }));
}

function userParts(content: Extract<ChatMessage, { role: 'user' }>['content'], index: number): UserPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content.map((part, partIndex) => userPart(part, `messages[${index}].content[${partIndex}]`));
}

type UserContentPart = Exclude<Extract<ChatMessage, { role: 'user' }>['content'], string>[number];

function userPart(part: UserContentPart, param: string): UserPart {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'image_url':
      return imagePart(part.image_url.url, part.image_url.detail, param);
    case 'file': {
      if (!part.file.file_data) {
        throw invalidRequest(
          `${param}.file: only inline file_data is supported; file_id refers to OpenAI file storage`,
          param,
        );
      }
      const data = parseDataUrl(part.file.file_data);
      if (!data) throw invalidRequest(`${param}.file.file_data must be a base64 data URL`, param);
      return {
        type: 'file',
        source: { kind: 'base64', mediaType: data.mediaType, data: data.data },
        ...(part.file.filename ? { filename: part.file.filename } : {}),
      };
    }
    case 'input_audio':
      throw invalidRequest(
        `${param}: audio input is not supported by the gateway's translated providers`,
        param,
      );
  }
}

function imagePart(url: string, detail: ImagePart['detail'], param: string): ImagePart {
  const base = detail ? { detail } : {};
  if (url.startsWith('data:')) {
    const data = parseDataUrl(url);
    if (!data)
      throw invalidRequest(
        `${param}.image_url.url: malformed data URL (expected data:<type>;base64,<data>)`,
        param,
      );
    return { type: 'image', source: { kind: 'base64', mediaType: data.mediaType, data: data.data }, ...base };
  }
  if (!/^https?:\/\//i.test(url))
    throw invalidRequest(`${param}.image_url.url must be an http(s) or data URL`, param);
  return { type: 'image', source: { kind: 'url', url }, ...base };
}

function assistantParts(message: Extract<ChatMessage, { role: 'assistant' }>): AssistantPart[] {
  const parts: AssistantPart[] = [];
  if (message.reasoning_details && message.reasoning_details.length > 0) {
    for (const detail of message.reasoning_details) {
      if (detail.type === 'reasoning.encrypted' && detail.data)
        parts.push({ type: 'reasoning', text: '', redactedData: detail.data });
      else if (detail.type === 'reasoning.text') {
        parts.push({ type: 'reasoning', text: detail.text ?? '', ...reasoningSignature(detail.signature) });
      } else if (detail.type === 'reasoning.summary' && detail.summary)
        parts.push({ type: 'reasoning', text: detail.summary });
    }
  } else if (message.reasoning_content) {
    parts.push({ type: 'reasoning', text: message.reasoning_content });
  }
  const content = message.content;
  const text =
    typeof content === 'string'
      ? content
      : (content ?? []).map((part) => (part.type === 'text' ? part.text : part.refusal)).join('');
  // A Gemini text signature goes back on the text, or alone on an empty text part (it signed an empty one).
  const textSignature = message.extra_content?.google?.thought_signature;
  if (textSignature)
    parts.push({ type: 'text', text, providerData: { gemini: { thoughtSignature: textSignature } } });
  else if (text !== '') parts.push({ type: 'text', text });
  for (const call of message.tool_calls ?? []) {
    const signature = call.extra_content?.google?.thought_signature;
    const providerData: ProviderData | undefined = signature
      ? { gemini: { thoughtSignature: signature } }
      : undefined;
    parts.push({
      type: 'tool-call',
      id: call.id,
      name: call.function.name,
      arguments: call.function.arguments,
      ...(providerData ? { providerData } : {}),
    });
  }
  return parts;
}

/**
 * A reasoning_details signature: Anthropic's own, or a Gemini thought signature Junction prefixed (which
 * goes back to Gemini only). Another prefixed kind has no place on a reasoning part and is left out.
 */
function reasoningSignature(signature: string | null | undefined): Partial<ReasoningPart> {
  if (!signature) return {};
  const gemini = decodeGeminiSignature(signature);
  if (!gemini) return { signature };
  return gemini.kind === 'thought'
    ? { providerData: { gemini: { thoughtSignature: gemini.signature } } }
    : {};
}

function convertToolChoice(choice: NonNullable<ChatCompletionRequest['tool_choice']>): ToolChoice {
  if (typeof choice === 'string') return { type: choice };
  return { type: 'tool', name: choice.function.name };
}

function convertResponseFormat(
  format: NonNullable<ChatCompletionRequest['response_format']>,
): ResponseFormat {
  if (format.type !== 'json_schema') return { type: format.type };
  const { json_schema: spec } = format;
  return {
    type: 'json_schema',
    name: spec.name,
    schema: spec.schema ?? { type: 'object' },
    ...(spec.strict != null ? { strict: spec.strict } : {}),
    ...(spec.description !== undefined ? { description: spec.description } : {}),
  };
}
