/**
 * Responses create request -> canonical request.
 *
 * Items map onto canonical messages:
 * - `instructions` -> a leading system message; system/developer messages -> system messages.
 * - user messages -> user parts (input_text, input_image by URL or data URL, input_file by data or URL).
 * - assistant messages, reasoning items and function_call items that follow one another form ONE canonical
 *   assistant message (Anthropic needs the thinking block and its tool_use blocks in the same turn).
 * - function_call_output items -> tool results (consecutive ones share one tool message), paired by
 *   `call_id`, with the tool name looked up from the matching function_call.
 * - reasoning items -> reasoning parts: summary (or reasoning_text content) as text; `encrypted_content`
 *   either OpenAI's own blob (-> encryptedContent) or a Junction continuation envelope (see
 *   continuation-envelope.ts) whose signature / redacted data / provider data is restored.
 *
 * item_reference items and hosted-tool items cannot be translated here (they are listed as unmodeled);
 * the HTTP route resolves references against the store with resolveItemReferences() first.
 */
import type {
  AssistantPart,
  CanonicalMessage,
  CanonicalRequest,
  FilePart,
  ImagePart,
  ProviderData,
  ReasoningPart,
  ResponseFormat,
  TextPart,
  ToolChoice,
  ToolDefinition,
  ToolResultPart,
  UserPart,
} from '../../core/canonical-request.js';
import { parseDataUrl } from '../../core/data-url.js';
import { invalidRequest } from '../../core/errors.js';
import { reasoningForRung } from '../../core/reasoning-effort.js';
import type { SourceTrace } from '../shared/source-trace.js';
import { traceFrom, traceList } from '../shared/source-trace.js';
import { decodeContinuation } from './continuation-envelope.js';
import type {
  FunctionCallOutputItem,
  KnownInputItem,
  MessageItem,
  ReasoningItem,
  ResponsesInputItem,
  ResponsesRequest,
} from './openai-responses-schema.js';
import { asKnownItem } from './openai-responses-schema.js';

/** Names an item in client terms for error messages: `input[3]` by default. */
export type ItemPath = (index: number) => string;

const defaultPath: ItemPath = (index) => `input[${index}]`;

/** The request's `input` as items (a string is one user message). */
export function inputItemsOf(request: Pick<ResponsesRequest, 'input'>): ResponsesInputItem[] {
  if (request.input == null) return [];
  if (typeof request.input === 'string') return [{ type: 'message', role: 'user', content: request.input }];
  return request.input;
}

/**
 * The canonical request for `request`, taking its messages from `items` (by default the request's own
 * input; the HTTP route passes stored history + the new input when continuing a response).
 */
export function openAIResponsesToCanonical(
  request: ResponsesRequest,
  items: readonly ResponsesInputItem[] = inputItemsOf(request),
  pathOf: ItemPath = defaultPath,
  trace?: SourceTrace,
): CanonicalRequest {
  const messages: CanonicalMessage[] = [];
  if (request.instructions) {
    messages.push({ role: 'system', content: [{ type: 'text', text: request.instructions }] });
    if (trace) traceFrom(trace, [messages[0]!, ...messages[0]!.content], 0, 'instructions');
  }
  messages.push(...itemsToMessages(items, pathOf, trace));
  const canonical: CanonicalRequest = { model: request.model, messages, stream: request.stream === true };
  const tools = functionTools(request);
  const choice = request.tool_choice;
  let allowed: Set<string> | undefined;
  if (choice != null) {
    const converted = convertToolChoice(choice);
    if (converted) canonical.toolChoice = converted.choice;
    allowed = converted?.allowed;
  }
  assertNamedToolDeclared(request, canonical.toolChoice, tools);
  const kept = allowed ? tools.filter((tool) => allowed.has(tool.name)) : tools;
  if (kept.length > 0) canonical.tools = kept;
  if (request.parallel_tool_calls != null) canonical.parallelToolCalls = request.parallel_tool_calls;
  const format = request.text?.format;
  if (format != null) canonical.responseFormat = convertFormat(format);
  if (request.max_output_tokens != null) canonical.maxOutputTokens = request.max_output_tokens;
  if (request.temperature != null) canonical.temperature = request.temperature;
  if (request.top_p != null) canonical.topP = request.top_p;
  const effort = request.reasoning?.effort;
  if (effort != null) canonical.reasoning = reasoningForRung(effort);
  const user = request.safety_identifier ?? request.user;
  if (user != null) canonical.user = user;
  if (request.metadata != null) canonical.metadata = request.metadata;
  return canonical;
}

function functionTools(request: ResponsesRequest): ToolDefinition[] {
  const tools: ToolDefinition[] = [];
  for (const tool of request.tools ?? []) {
    if (tool.type !== 'function') continue;
    const fn = tool as Extract<typeof tool, { type: 'function'; name: string }>;
    tools.push({
      name: fn.name,
      ...(fn.description != null ? { description: fn.description } : {}),
      parameters: fn.parameters ?? { type: 'object', properties: {} },
      ...(fn.strict != null ? { strict: fn.strict } : {}),
    });
  }
  return tools;
}

/**
 * A tool_choice naming a function that `tools` does not declare is refused here, as OpenAI refuses it,
 * rather than sent to a provider that answers with an error of its own (or, worse, calls nothing). Only
 * when every tool is a function tool: hosted tools are OpenAI's to judge.
 */
function assertNamedToolDeclared(
  request: ResponsesRequest,
  choice: ToolChoice | undefined,
  tools: readonly ToolDefinition[],
): void {
  if (choice?.type !== 'tool') return;
  if ((request.tools ?? []).some((tool) => tool.type !== 'function')) return;
  if (tools.some((tool) => tool.name === choice.name)) return;
  throw invalidRequest(
    `tool_choice names the function '${choice.name}', which is not among the function tools in 'tools'.`,
    'tool_choice',
  );
}

function convertToolChoice(
  choice: NonNullable<ResponsesRequest['tool_choice']>,
): { choice?: ToolChoice; allowed?: Set<string> } | undefined {
  if (typeof choice === 'string') return { choice: { type: choice } };
  const record = choice as Record<string, unknown>;
  if (record.type === 'function' && typeof record.name === 'string')
    return { choice: { type: 'tool', name: record.name } };
  if (record.type === 'allowed_tools') {
    // {type:'allowed_tools', mode:'auto'|'required', tools:[{type:'function', name}]}: a filter on the tools.
    const names = new Set<string>();
    for (const tool of Array.isArray(record.tools) ? record.tools : []) {
      const entry = tool as { type?: unknown; name?: unknown };
      if (entry.type === 'function' && typeof entry.name === 'string') names.add(entry.name);
    }
    return { choice: { type: record.mode === 'required' ? 'required' : 'auto' }, allowed: names };
  }
  // A built-in tool choice: listed as unmodeled; translated paths never get here.
  return undefined;
}

function convertFormat(format: NonNullable<NonNullable<ResponsesRequest['text']>['format']>): ResponseFormat {
  if (format.type !== 'json_schema') return { type: format.type };
  const spec = format as Extract<typeof format, { type: 'json_schema' }>;
  return {
    type: 'json_schema',
    name: spec.name,
    schema: spec.schema,
    ...(spec.strict != null ? { strict: spec.strict } : {}),
    ...(spec.description != null ? { description: spec.description } : {}),
  };
}

/**
 * Items -> canonical messages (without `instructions`). Exported for rebuilding stored conversations.
 * `trace`, when given, records where each message and part came from (see source-trace.ts).
 */
export function itemsToMessages(
  items: readonly ResponsesInputItem[],
  pathOf: ItemPath = defaultPath,
  trace?: SourceTrace,
): CanonicalMessage[] {
  const known = items.map(asKnownItem);
  const carriers = collectCarriers(known);
  const toolNames = new Map<string, string>();
  for (const item of known) if (item?.type === 'function_call') toolNames.set(item.call_id, item.name);

  const messages: CanonicalMessage[] = [];
  /** The assistant message an item joins, opened by the item at `path` when there is none. */
  const assistant = (path: string): AssistantPart[] => {
    const last = messages.at(-1);
    if (last?.role === 'assistant') return last.content;
    const created: CanonicalMessage = { role: 'assistant', content: [] };
    messages.push(created);
    trace?.set(created, path);
    return created.content;
  };

  known.forEach((item, index) => {
    const path = pathOf(index);
    switch (item?.type) {
      case 'message':
        convertMessage(item, path, messages, assistant, carriers.byMessageIndex.get(index), trace);
        return;
      case 'function_call': {
        const providerData = carriers.byCallId.get(item.call_id);
        const call: AssistantPart = {
          type: 'tool-call',
          id: item.call_id,
          name: item.name,
          arguments: item.arguments,
          ...(providerData ? { providerData } : {}),
        };
        assistant(path).push(call);
        trace?.set(call, path);
        return;
      }
      case 'function_call_output': {
        const result = toolResult(item, path, toolNames.get(item.call_id));
        trace?.set(result, path);
        const last = messages.at(-1);
        if (last?.role === 'tool') last.content.push(result);
        else {
          messages.push({ role: 'tool', content: [result] });
          trace?.set(messages.at(-1)!, path);
        }
        return;
      }
      case 'reasoning': {
        if (carriers.carrierIndexes.has(index)) return;
        const part = reasoningPart(item);
        if (part) {
          assistant(path).push(part);
          trace?.set(part, path);
        }
        return;
      }
      default:
        // item_reference and hosted-tool items: listed as unmodeled, not translatable here.
        return;
    }
  });
  // An assistant turn made only of carriers/empty reasoning adds nothing a provider could use.
  return messages.filter((message) => message.content.length > 0);
}

interface Carriers {
  byCallId: Map<string, ProviderData>;
  byMessageIndex: Map<number, ProviderData>;
  carrierIndexes: Set<number>;
}

/** Finds Junction carrier reasoning items and the item each one's data belongs to. */
function collectCarriers(items: ReadonlyArray<KnownInputItem | undefined>): Carriers {
  const carriers: Carriers = { byCallId: new Map(), byMessageIndex: new Map(), carrierIndexes: new Set() };
  items.forEach((item, index) => {
    if (!item) return;
    if (item.type !== 'reasoning' || !item.encrypted_content) return;
    const data = decodeContinuation(item.encrypted_content);
    if (!data?.target) return;
    carriers.carrierIndexes.add(index);
    if (!data.providerData) return;
    if (data.target.type === 'function_call') {
      carriers.byCallId.set(data.target.call_id, data.providerData);
      return;
    }
    const targetId = data.target.id;
    let target = items.findIndex(
      (candidate) =>
        candidate?.type === 'message' && candidate.role === 'assistant' && candidate.id === targetId,
    );
    // Clients that drop item ids still keep the order: the carrier follows its message.
    if (target < 0) {
      for (let i = index - 1; i >= 0; i--) {
        const candidate = items[i];
        if (candidate?.type === 'message' && candidate.role === 'assistant') {
          target = i;
          break;
        }
      }
    }
    if (target >= 0) carriers.byMessageIndex.set(target, data.providerData);
  });
  return carriers;
}

function convertMessage(
  item: MessageItem,
  path: string,
  messages: CanonicalMessage[],
  assistant: (path: string) => AssistantPart[],
  providerData: ProviderData | undefined,
  trace: SourceTrace | undefined,
): void {
  switch (item.role) {
    case 'system':
    case 'developer': {
      const message: CanonicalMessage = { role: 'system', content: textOnly(item, path) };
      if (trace) traceMessage(trace, item, message, path);
      messages.push(message);
      return;
    }
    case 'assistant': {
      const text = textOnly(item, path)
        .map((part) => part.text)
        .join('');
      if (text === '' && !providerData) return;
      const part: AssistantPart = { type: 'text', text, ...(providerData ? { providerData } : {}) };
      assistant(path).push(part);
      trace?.set(part, `${path}.content`);
      return;
    }
    case 'user': {
      const content = userParts(item, path, trace);
      if (content.length > 0) {
        messages.push({ role: 'user', content });
        trace?.set(messages.at(-1)!, path);
      }
      return;
    }
  }
}

/** A system message's text parts map one to one onto the item's content parts (or its string content). */
function traceMessage(trace: SourceTrace, item: MessageItem, message: CanonicalMessage, path: string): void {
  trace.set(message, path);
  traceList(trace, message.content, item.content, `${path}.content`);
}

type ContentPart = Exclude<MessageItem['content'], string>[number];

function textOf(part: ContentPart): string | undefined {
  if (part.type === 'input_text' || part.type === 'output_text') return part.text;
  if (part.type === 'refusal') return part.refusal;
  return undefined;
}

function textOnly(item: MessageItem, path: string): TextPart[] {
  if (typeof item.content === 'string')
    return item.content === '' ? [] : [{ type: 'text', text: item.content }];
  return item.content.map((part, i) => {
    const text = textOf(part);
    if (text === undefined)
      throw invalidRequest(
        `${path}.content[${i}]: a ${item.role} message can only hold text, not ${part.type}`,
        `${path}.content[${i}]`,
      );
    return { type: 'text', text };
  });
}

function userParts(item: MessageItem, path: string, trace: SourceTrace | undefined): UserPart[] {
  if (typeof item.content === 'string') {
    const part: UserPart = { type: 'text', text: item.content };
    trace?.set(part, `${path}.content`);
    return [part];
  }
  const parts: UserPart[] = [];
  item.content.forEach((part, i) => {
    const converted = mediaPart(part, `${path}.content[${i}]`);
    if (converted) {
      parts.push(converted);
      trace?.set(converted, `${path}.content[${i}]`);
    }
  });
  return parts;
}

/** A content part as a canonical part; undefined for file_id references (listed as unmodeled). */
function mediaPart(part: ContentPart, param: string): UserPart | undefined {
  const text = textOf(part);
  if (text !== undefined) return { type: 'text', text };
  if (part.type === 'input_image') {
    if (!part.image_url) return undefined;
    return imagePart(part.image_url, part.detail ?? undefined, param);
  }
  if (part.type === 'input_file') return filePart(part, param);
  return undefined;
}

function imagePart(url: string, detail: string | undefined, param: string): ImagePart {
  // 'original' is OpenAI-only; other providers take the image as it is.
  const base: Pick<ImagePart, 'detail'> =
    detail === 'auto' || detail === 'low' || detail === 'high' ? { detail } : {};
  if (url.startsWith('data:')) {
    const data = parseDataUrl(url);
    if (!data)
      throw invalidRequest(
        `${param}.image_url: malformed data URL (expected data:<type>;base64,<data>)`,
        param,
      );
    return { type: 'image', source: { kind: 'base64', mediaType: data.mediaType, data: data.data }, ...base };
  }
  if (!/^https?:\/\//i.test(url))
    throw invalidRequest(`${param}.image_url must be an http(s) or data URL`, param);
  return { type: 'image', source: { kind: 'url', url }, ...base };
}

function filePart(part: Extract<ContentPart, { type: 'input_file' }>, param: string): FilePart | undefined {
  const filename = part.filename ? { filename: part.filename } : {};
  if (part.file_data) {
    const data = parseDataUrl(part.file_data);
    if (data) return { type: 'file', source: { kind: 'base64', ...data }, ...filename };
    // Bare base64 (no data: prefix): the filename is the only hint at the type.
    if (!/^[A-Za-z0-9+/=\s]+$/.test(part.file_data))
      throw invalidRequest(`${param}.file_data must be a base64 data URL`, param);
    return {
      type: 'file',
      source: { kind: 'base64', mediaType: mediaTypeOf(part.filename), data: part.file_data },
      ...filename,
    };
  }
  if (part.file_url) {
    if (!/^https?:\/\//i.test(part.file_url))
      throw invalidRequest(`${param}.file_url must be an http(s) URL`, param);
    return { type: 'file', source: { kind: 'url', url: part.file_url }, ...filename };
  }
  return undefined;
}

function mediaTypeOf(filename: string | null | undefined): string {
  const extension = filename?.split('.').pop()?.toLowerCase();
  const known: Record<string, string> = {
    pdf: 'application/pdf',
    txt: 'text/plain',
    md: 'text/markdown',
    csv: 'text/csv',
    json: 'application/json',
    html: 'text/html',
  };
  return (extension && known[extension]) || 'application/pdf';
}

function toolResult(
  item: FunctionCallOutputItem,
  path: string,
  toolName: string | undefined,
): ToolResultPart {
  const content: Array<TextPart | ImagePart> = [];
  if (typeof item.output === 'string') content.push({ type: 'text', text: item.output });
  else {
    item.output.forEach((part, i) => {
      const param = `${path}.output[${i}]`;
      if (part.type === 'input_text') content.push({ type: 'text', text: part.text });
      else if (part.type === 'input_image' && part.image_url)
        content.push(imagePart(part.image_url, part.detail ?? undefined, param));
      // input_file and file_id images in tool output: listed as unmodeled.
    });
  }
  return { type: 'tool-result', toolCallId: item.call_id, ...(toolName ? { toolName } : {}), content };
}

function reasoningPart(item: ReasoningItem): ReasoningPart | undefined {
  const summary = item.summary.map((part) => part.text).join('\n\n');
  const content = (item.content ?? []).map((part) => part.text).join('');
  const part: ReasoningPart = { type: 'reasoning', text: summary !== '' ? summary : content };
  const encrypted = item.encrypted_content;
  if (encrypted) {
    const data = decodeContinuation(encrypted);
    if (!data) part.encryptedContent = encrypted;
    else {
      if (data.signature !== undefined) part.signature = data.signature;
      if (data.redactedData !== undefined) part.redactedData = data.redactedData;
      if (data.encryptedContent !== undefined) part.encryptedContent = data.encryptedContent;
      if (data.providerData) part.providerData = data.providerData;
    }
  }
  const empty =
    part.text === '' &&
    part.signature === undefined &&
    part.redactedData === undefined &&
    part.encryptedContent === undefined &&
    part.providerData === undefined;
  return empty ? undefined : part;
}
