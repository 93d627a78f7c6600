/**
 * Anthropic Messages request -> canonical request.
 *
 * - `system` becomes a leading system message; cache_control breakpoints stay on their parts.
 * - A user message's tool_result blocks become a canonical `tool` message; the other blocks of that message
 *   become user messages around it, in their original order.
 * - Thinking blocks keep their signature, redacted_thinking its data, so the next turn can send them back;
 *   a Gemini thought signature among them goes back where it came from (../shared/gemini-thought-signature.ts).
 * - Blocks, sources and tools listed as unmodeled (anthropic-messages-unmodeled.ts) are skipped here, so the
 *   fast path still decodes them: a translated path refuses the request before this canonical form is used.
 */
import type {
  AssistantPart,
  CanonicalMessage,
  CanonicalRequest,
  FilePart,
  ImagePart,
  ReasoningRequest,
  TextPart,
  ToolChoice,
  ToolResultPart,
  UserPart,
} from '../../core/canonical-request.js';
import { invalidRequest } from '../../core/errors.js';
import { decodeGeminiSignature } from '../shared/gemini-thought-signature.js';
import type { SourceTrace } from '../shared/source-trace.js';
import { traceFrom, traceList } from '../shared/source-trace.js';
import type {
  CacheControl,
  KnownContentBlock,
  MessageParam,
  MessagesRequest,
  ToolResultContentBlock,
} from './anthropic-messages-schema.js';
import {
  isCustomTool,
  isKnownBlock,
  isKnownThinking,
  isKnownToolResultContent,
  isThinkingDisplay,
} from './anthropic-messages-schema.js';
import { mapAnthropicEffort } from './map-anthropic-effort.js';

/** The name a json_schema response format gets: Anthropic's output format has none. */
export const RESPONSE_FORMAT_NAME = 'response';

/** `trace`, when given, records where each message and part came from (see source-trace.ts). */
export function anthropicMessagesToCanonical(body: MessagesRequest, trace?: SourceTrace): CanonicalRequest {
  const messages: CanonicalMessage[] = [];
  const system = systemParts(body.system);
  if (system.length > 0) {
    messages.push({ role: 'system', content: system });
    if (trace) traceSystem(trace, messages[0]!, body.system);
  }
  const toolNames = new Map<string, string>();
  body.messages.forEach((message, index) => {
    const from = messages.length;
    messages.push(...convertMessage(message, index, toolNames, trace));
    if (trace) traceFrom(trace, messages, from, `messages[${index}]`);
  });
  if (body.cache_control) applyAutomaticCacheControl(messages, body.cache_control);

  const request: CanonicalRequest = {
    model: body.model,
    messages,
    maxOutputTokens: body.max_tokens,
    stream: body.stream === true,
  };
  const tools = (body.tools ?? []).filter(isCustomTool);
  if (tools.length > 0) {
    request.tools = tools.map((tool) => ({
      name: tool.name,
      ...(tool.description !== undefined ? { description: tool.description } : {}),
      parameters: tool.input_schema,
      ...(tool.strict != null ? { strict: tool.strict } : {}),
      ...(tool.cache_control ? { cacheControl: toCacheControl(tool.cache_control) } : {}),
    }));
  }
  if (body.tool_choice) {
    request.toolChoice = convertToolChoice(body.tool_choice);
    if (
      'disable_parallel_tool_use' in body.tool_choice &&
      body.tool_choice.disable_parallel_tool_use === true
    ) {
      request.parallelToolCalls = false;
    }
  }
  const reasoning = convertReasoning(body);
  if (reasoning) request.reasoning = reasoning;
  const format = body.output_config?.format ?? body.output_format;
  if (format)
    request.responseFormat = { type: 'json_schema', name: RESPONSE_FORMAT_NAME, schema: format.schema };
  if (body.stop_sequences && body.stop_sequences.length > 0) request.stop = body.stop_sequences;
  if (body.temperature != null) request.temperature = body.temperature;
  if (body.top_p != null) request.topP = body.top_p;
  if (body.top_k != null) request.topK = body.top_k;
  if (body.metadata?.user_id != null) request.user = body.metadata.user_id;
  return request;
}

function toCacheControl(control: CacheControl): NonNullable<TextPart['cacheControl']> {
  return control.ttl ? { type: 'ephemeral', ttl: control.ttl } : { type: 'ephemeral' };
}

function textPart(block: { text: string; cache_control?: CacheControl | null }): TextPart {
  return {
    type: 'text',
    text: block.text,
    ...(block.cache_control ? { cacheControl: toCacheControl(block.cache_control) } : {}),
  };
}

function systemParts(system: MessagesRequest['system']): TextPart[] {
  if (system == null) return [];
  if (typeof system === 'string') return system === '' ? [] : [{ type: 'text', text: system }];
  return system.map(textPart);
}

/** Where the system prompt's parts came from: `system`, or `system[k]` for a list of blocks. */
function traceSystem(trace: SourceTrace, message: CanonicalMessage, system: MessagesRequest['system']): void {
  trace.set(message, 'system');
  traceList(trace, message.content, system, 'system');
}

function convertMessage(
  message: MessageParam,
  index: number,
  toolNames: Map<string, string>,
  trace: SourceTrace | undefined,
): CanonicalMessage[] {
  if (typeof message.content === 'string') {
    const converted: CanonicalMessage[] =
      message.role === 'assistant'
        ? message.content === ''
          ? []
          : [{ role: 'assistant', content: [{ type: 'text', text: message.content }] }]
        : [{ role: 'user', content: [{ type: 'text', text: message.content }] }];
    if (trace)
      for (const { content } of converted) traceFrom(trace, content, 0, `messages[${index}].content`);
    return converted;
  }
  const blocks = message.content.map((block, j) => ({ block, param: `messages[${index}].content[${j}]` }));
  const known = blocks.filter((entry): entry is { block: KnownContentBlock; param: string } =>
    isKnownBlock(entry.block),
  );
  return message.role === 'assistant'
    ? [assistantMessage(known, toolNames, trace)]
    : userMessages(known, toolNames, trace);
}

type Located = { block: KnownContentBlock; param: string };

function assistantMessage(
  blocks: Located[],
  toolNames: Map<string, string>,
  trace: SourceTrace | undefined,
): CanonicalMessage {
  const content: AssistantPart[] = [];
  // A Gemini function-call signature sits in the thinking block just before its tool_use block.
  let functionCallSignature: string | undefined;
  for (const { block, param } of blocks) {
    const from = content.length;
    switch (block.type) {
      case 'text':
        content.push(textPart(block));
        break;
      case 'thinking': {
        const gemini = decodeGeminiSignature(block.signature);
        if (gemini?.kind === 'function_call') {
          functionCallSignature = gemini.signature;
          if (block.thinking !== '') content.push({ type: 'reasoning', text: block.thinking });
          break;
        }
        if (gemini?.kind === 'text') {
          signText(content, gemini.signature);
          if (block.thinking !== '') content.push({ type: 'reasoning', text: block.thinking });
          break;
        }
        content.push({
          type: 'reasoning',
          text: block.thinking,
          ...(gemini
            ? { providerData: { gemini: { thoughtSignature: gemini.signature } } }
            : block.signature !== ''
              ? { signature: block.signature }
              : {}),
        });
        break;
      }
      case 'redacted_thinking':
        content.push({ type: 'reasoning', text: '', redactedData: block.data });
        break;
      case 'tool_use':
        toolNames.set(block.id, block.name);
        content.push({
          type: 'tool-call',
          id: block.id,
          name: block.name,
          arguments: JSON.stringify(block.input ?? {}),
          ...(functionCallSignature !== undefined
            ? { providerData: { gemini: { thoughtSignature: functionCallSignature } } }
            : {}),
        });
        functionCallSignature = undefined;
        break;
      default:
        throw invalidRequest(`${param}: ${block.type} blocks are only allowed in user messages`, param);
    }
    if (trace) traceFrom(trace, content, from, param);
  }
  return { role: 'assistant', content };
}

/**
 * A Gemini text signature belongs to the text block just before its thinking block; with none there (the
 * signed text part was empty) it goes back on an empty text part of its own.
 */
function signText(content: AssistantPart[], signature: string): void {
  const providerData = { gemini: { thoughtSignature: signature } };
  const last = content.at(-1);
  if (last?.type === 'text') last.providerData = { ...last.providerData, ...providerData };
  else content.push({ type: 'text', text: '', providerData });
}

/** Runs of tool_result blocks become tool messages, the blocks between them user messages, order kept. */
function userMessages(
  blocks: Located[],
  toolNames: Map<string, string>,
  trace: SourceTrace | undefined,
): CanonicalMessage[] {
  const out: CanonicalMessage[] = [];
  let user: UserPart[] | undefined;
  let tool: ToolResultPart[] | undefined;
  for (const { block, param } of blocks) {
    if (block.type === 'tool_result') {
      user = undefined;
      if (!tool) {
        tool = [];
        out.push({ role: 'tool', content: tool });
      }
      const result = toolResult(block, toolNames);
      tool.push(result);
      trace?.set(result, param);
      continue;
    }
    tool = undefined;
    if (!user) {
      user = [];
      out.push({ role: 'user', content: user });
    }
    const part = userPart(block, param);
    if (part) {
      user.push(part);
      trace?.set(part, param);
    }
  }
  // An empty content array is still a user turn.
  if (out.length === 0) out.push({ role: 'user', content: [] });
  return out;
}

/** Undefined for a part whose source is unmodeled (Anthropic Files API, custom content documents). */
function userPart(block: KnownContentBlock, param: string): UserPart | undefined {
  switch (block.type) {
    case 'text':
      return textPart(block);
    case 'image':
      return imagePart(block.source);
    case 'document':
      return filePart(block);
    default:
      throw invalidRequest(`${param}: ${block.type} blocks are only allowed in assistant messages`, param);
  }
}

function imagePart(source: Extract<KnownContentBlock, { type: 'image' }>['source']): ImagePart | undefined {
  switch (source.type) {
    case 'base64':
      return { type: 'image', source: { kind: 'base64', mediaType: source.media_type, data: source.data } };
    case 'url':
      return { type: 'image', source: { kind: 'url', url: source.url } };
    case 'file':
      return undefined;
  }
}

function filePart(block: Extract<KnownContentBlock, { type: 'document' }>): FilePart | undefined {
  const { source } = block;
  const filename = block.title ? { filename: block.title } : {};
  switch (source.type) {
    case 'base64':
      return {
        type: 'file',
        source: { kind: 'base64', mediaType: source.media_type, data: source.data },
        ...filename,
      };
    case 'url':
      return { type: 'file', source: { kind: 'url', url: source.url }, ...filename };
    case 'text':
      // Plain-text documents travel as base64 text/plain, which the Anthropic provider turns back into a text source.
      return {
        type: 'file',
        source: {
          kind: 'base64',
          mediaType: 'text/plain',
          data: Buffer.from(source.data, 'utf8').toString('base64'),
        },
        ...filename,
      };
    case 'content':
    case 'file':
      return undefined;
  }
}

function toolResult(
  block: Extract<KnownContentBlock, { type: 'tool_result' }>,
  toolNames: Map<string, string>,
): ToolResultPart {
  const content: Array<TextPart | ImagePart> = [];
  if (typeof block.content === 'string') content.push({ type: 'text', text: block.content });
  else for (const inner of block.content ?? []) pushToolResultContent(content, inner);
  // The block's breakpoint goes on its last text, the nearest place a canonical part can carry it.
  const last = content.at(-1);
  if (block.cache_control && last?.type === 'text' && !last.cacheControl)
    last.cacheControl = toCacheControl(block.cache_control);
  const name = toolNames.get(block.tool_use_id);
  return {
    type: 'tool-result',
    toolCallId: block.tool_use_id,
    ...(name !== undefined ? { toolName: name } : {}),
    content,
    ...(block.is_error === true ? { isError: true } : {}),
  };
}

function pushToolResultContent(content: Array<TextPart | ImagePart>, inner: ToolResultContentBlock): void {
  if (!isKnownToolResultContent(inner)) return;
  const part = inner.type === 'text' ? textPart(inner) : imagePart(inner.source);
  if (part) content.push(part);
}

function convertToolChoice(choice: NonNullable<MessagesRequest['tool_choice']>): ToolChoice {
  switch (choice.type) {
    case 'auto':
      return { type: 'auto' };
    case 'any':
      return { type: 'required' };
    case 'tool':
      return { type: 'tool', name: choice.name };
    case 'none':
      return { type: 'none' };
  }
}

/**
 * The thinking switch and the effort travel separately, as the client gave them: an Anthropic provider gets
 * them back unchanged, and others map them (an effort on its own does not turn thinking on).
 */
function convertReasoning(body: MessagesRequest): ReasoningRequest | undefined {
  const effort = body.output_config?.effort ? mapAnthropicEffort(body.output_config.effort) : undefined;
  const withEffort = effort ? { effort } : {};
  const thinking = body.thinking && isKnownThinking(body.thinking) ? body.thinking : undefined;
  const display =
    thinking && 'display' in thinking && isThinkingDisplay(thinking.display)
      ? { display: thinking.display }
      : {};
  switch (thinking?.type) {
    case 'enabled':
      return { mode: 'enabled', budgetTokens: thinking.budget_tokens, ...withEffort, ...display };
    case 'adaptive':
      return { mode: 'adaptive', ...withEffort, ...display };
    case 'disabled':
      return { mode: 'disabled', ...withEffort };
    default:
      return effort ? { mode: 'unset', effort } : undefined;
  }
}

/**
 * Top-level `cache_control` asks Anthropic to cache up to the last cacheable block. Canonical parts carry
 * breakpoints only on text, so it lands on the last text of the last message (in a tool result if need be).
 */
function applyAutomaticCacheControl(messages: CanonicalMessage[], control: CacheControl): void {
  const last = messages.at(-1);
  if (!last) return;
  const texts: TextPart[] = [];
  for (const part of last.content) {
    if (part.type === 'text') texts.push(part);
    else if (part.type === 'tool-result')
      for (const inner of part.content) if (inner.type === 'text') texts.push(inner);
  }
  const target = texts.at(-1);
  if (target && !target.cacheControl) target.cacheControl = toCacheControl(control);
}
