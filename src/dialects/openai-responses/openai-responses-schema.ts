/**
 * Zod schema of a Responses API create request (`POST /v1/responses`) as clients send it.
 *
 * Input items and content parts have their fields type-checked (a wrong or missing field is a 400 naming
 * it, e.g. `input[2].call_id`), but every object is loose: OpenAI adds fields to items often (`phase`,
 * `prompt_cache_breakpoint`, ...) and the same-dialect fast path must still forward them. Item types
 * Junction does not translate (web_search_call, mcp_call, ...) are accepted as opaque items and listed as
 * unmodeled, so only a translated path refuses them. The top level is loose as well.
 */
import { z } from 'zod';

const id = z.string().min(1);
const status = z.enum(['in_progress', 'completed', 'incomplete']).nullish();

export const inputTextPart = z.looseObject({ type: z.literal('input_text'), text: z.string() });
export const inputImagePart = z.looseObject({
  type: z.literal('input_image'),
  image_url: z.string().min(1).nullish(),
  file_id: z.string().min(1).nullish(),
  detail: z.enum(['auto', 'low', 'high', 'original']).nullish(),
});
export const inputFilePart = z.looseObject({
  type: z.literal('input_file'),
  file_data: z.string().min(1).nullish(),
  file_id: z.string().min(1).nullish(),
  file_url: z.string().min(1).nullish(),
  filename: z.string().nullish(),
});
const outputTextPart = z.looseObject({
  type: z.literal('output_text'),
  text: z.string(),
  annotations: z.array(z.unknown()).nullish(),
});
const refusalPart = z.looseObject({ type: z.literal('refusal'), refusal: z.string() });

const messageContentPart = z.discriminatedUnion('type', [
  inputTextPart,
  inputImagePart,
  inputFilePart,
  outputTextPart,
  refusalPart,
]);

export const messageItem = z.looseObject({
  type: z.literal('message'),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content: z.union([z.string(), z.array(messageContentPart)]),
  id: id.nullish(),
  status,
});

export const functionCallItem = z.looseObject({
  type: z.literal('function_call'),
  call_id: id,
  name: z.string().min(1),
  arguments: z.string(),
  id: id.nullish(),
  status,
});

const toolOutputPart = z.discriminatedUnion('type', [inputTextPart, inputImagePart, inputFilePart]);

export const functionCallOutputItem = z.looseObject({
  type: z.literal('function_call_output'),
  call_id: id,
  output: z.union([z.string(), z.array(toolOutputPart)]),
  id: id.nullish(),
  status,
});

export const reasoningItem = z.looseObject({
  type: z.literal('reasoning'),
  id: id.nullish(),
  summary: z.array(z.looseObject({ type: z.literal('summary_text'), text: z.string() })),
  encrypted_content: z.string().nullish(),
  content: z.array(z.looseObject({ type: z.literal('reasoning_text'), text: z.string() })).nullish(),
  status,
});

export const itemReference = z.looseObject({ type: z.literal('item_reference'), id });

export const KNOWN_ITEM_TYPES: ReadonlySet<string> = new Set([
  'message',
  'function_call',
  'function_call_output',
  'reasoning',
  'item_reference',
]);

/** An item type Junction carries but does not translate (hosted tool calls and their outputs, ...). */
const opaqueItem = z.looseObject({ type: z.string().min(1) });

const knownItem = z.discriminatedUnion('type', [
  messageItem,
  functionCallItem,
  functionCallOutputItem,
  reasoningItem,
  itemReference,
]);

type KnownItem = z.infer<typeof knownItem>;
type OpaqueItem = z.infer<typeof opaqueItem>;

/**
 * `type` may be left out of a message (EasyInputMessage) and of an item reference; it is filled in here.
 * Known types are checked against their own schema (so errors name the field, not the union); any other
 * type is an opaque item. The client body itself is untouched (see DecodedRequest.body).
 */
export const inputItem = z.unknown().transform((value, ctx): KnownItem | OpaqueItem => {
  let item = value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    if (record.type == null) {
      if ('role' in record) item = { ...record, type: 'message' };
      else if ('id' in record) item = { ...record, type: 'item_reference' };
    }
  }
  const type = (item as { type?: unknown } | null)?.type;
  const schema = typeof type === 'string' && KNOWN_ITEM_TYPES.has(type) ? knownItem : opaqueItem;
  const result = schema.safeParse(item);
  if (result.success) return result.data;
  for (const issue of result.error.issues) ctx.addIssue({ ...issue });
  return z.NEVER;
});

export const functionTool = z.looseObject({
  type: z.literal('function'),
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,128}$/, 'tool names may use a-z, A-Z, 0-9, _ and -, up to 128'),
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
});

/** Hosted tools (web_search, file_search, code_interpreter, image_generation, mcp, ...): kept loosely. */
const hostedTool = z.looseObject({
  type: z.string().refine((type) => type !== 'function', { message: 'invalid function tool' }),
});

export const responsesTool = z.union([functionTool, hostedTool]);

const toolChoice = z.union([
  z.enum(['auto', 'none', 'required']),
  z.looseObject({ type: z.literal('function'), name: z.string().min(1) }),
  z.looseObject({ type: z.string() }),
]);

const textFormat = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text') }),
  z.looseObject({ type: z.literal('json_object') }),
  z.looseObject({
    type: z.literal('json_schema'),
    name: z.string().min(1),
    schema: z.record(z.string(), z.unknown()),
    strict: z.boolean().nullish(),
    description: z.string().nullish(),
  }),
]);

export const responsesRequest = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(inputItem)]).nullish(),
  instructions: z.string().nullish(),
  tools: z.array(responsesTool).nullish(),
  tool_choice: toolChoice.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  text: z
    .looseObject({
      format: textFormat.nullish(),
      verbosity: z.enum(['low', 'medium', 'high']).nullish(),
    })
    .nullish(),
  reasoning: z
    .looseObject({
      effort: z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max']).nullish(),
      summary: z.enum(['auto', 'concise', 'detailed']).nullish(),
      generate_summary: z.enum(['auto', 'concise', 'detailed']).nullish(),
    })
    .nullish(),
  max_output_tokens: z.number().int().positive().nullish(),
  max_tool_calls: z.number().int().positive().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  top_logprobs: z.number().int().min(0).max(20).nullish(),
  truncation: z.enum(['auto', 'disabled']).nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  include: z.array(z.string()).nullish(),
  store: z.boolean().nullish(),
  previous_response_id: z.string().min(1).nullish(),
  conversation: z.union([z.string().min(1), z.looseObject({ id: z.string().min(1) })]).nullish(),
  background: z.boolean().nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_obfuscation: z.boolean().optional() }).nullish(),
  user: z.string().nullish(),
  service_tier: z.string().nullish(),
  prompt_cache_key: z.string().nullish(),
  safety_identifier: z.string().nullish(),
});

export type ResponsesRequest = z.infer<typeof responsesRequest>;
export type ResponsesInputItem = z.infer<typeof inputItem>;
export type KnownInputItem = z.infer<typeof knownItem>;
/** An item Junction does not translate (hosted tool calls, compaction, ...). */
export type OpaqueInputItem = z.infer<typeof opaqueItem>;

/** The item as one of the types Junction translates, or undefined for an opaque one. */
export function asKnownItem(item: ResponsesInputItem): KnownInputItem | undefined {
  return KNOWN_ITEM_TYPES.has(item.type) ? (item as KnownInputItem) : undefined;
}
export type MessageItem = z.infer<typeof messageItem>;
export type FunctionCallItem = z.infer<typeof functionCallItem>;
export type FunctionCallOutputItem = z.infer<typeof functionCallOutputItem>;
export type ReasoningItem = z.infer<typeof reasoningItem>;
export type FunctionTool = z.infer<typeof functionTool>;
export type ResponsesTool = z.infer<typeof responsesTool>;

/** Top-level fields the schema above models; anything else is `unmodeled` on translated paths. */
export const MODELED_FIELDS: ReadonlySet<string> = new Set(Object.keys(responsesRequest.shape));

/**
 * Fields that change nothing about the answer a translated provider gives, or that the HTTP route handles
 * itself (store, previous_response_id, conversation, background, include).
 */
export const IGNORABLE_FIELDS: ReadonlySet<string> = new Set([
  'prompt_cache_options',
  'prompt_cache_retention',
  'moderation',
]);
