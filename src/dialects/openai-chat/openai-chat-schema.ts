/**
 * Zod schema of a Chat Completions request as clients send it. Content parts and tool shapes are
 * strict (a wrong part is a clear 400 naming the field); the top level and messages are loose so that
 * fields Junction does not model still reach a same-dialect upstream.
 */
import { z } from 'zod';

const textPart = z.strictObject({ type: z.literal('text'), text: z.string() });
const imagePart = z.strictObject({
  type: z.literal('image_url'),
  image_url: z.strictObject({ url: z.string().min(1), detail: z.enum(['auto', 'low', 'high']).optional() }),
});
const audioPart = z.strictObject({
  type: z.literal('input_audio'),
  input_audio: z.strictObject({ data: z.string(), format: z.string() }),
});
const filePart = z.strictObject({
  type: z.literal('file'),
  file: z.strictObject({
    file_data: z.string().optional(),
    file_id: z.string().optional(),
    filename: z.string().optional(),
  }),
});
const refusalPart = z.strictObject({ type: z.literal('refusal'), refusal: z.string() });

const textContent = z.union([z.string(), z.array(textPart)]);

/** Gemini's OpenAI-compatible carrier for thought signatures; Junction uses the same field. */
const extraContent = z
  .looseObject({ google: z.looseObject({ thought_signature: z.string().optional() }).optional() })
  .nullish();

const toolCall = z.looseObject({
  id: z.string().min(1),
  type: z.literal('function').optional(),
  function: z.looseObject({ name: z.string().min(1), arguments: z.string() }),
  extra_content: extraContent,
});

/** OpenRouter's carrier for reasoning with signatures; Junction emits and accepts the same shape. */
export const reasoningDetail = z.looseObject({
  type: z.string(),
  text: z.string().optional(),
  signature: z.string().nullish(),
  data: z.string().optional(),
  summary: z.string().optional(),
});

const systemMessage = z.looseObject({
  role: z.literal('system'),
  content: textContent,
  name: z.string().optional(),
});
const developerMessage = z.looseObject({
  role: z.literal('developer'),
  content: textContent,
  name: z.string().optional(),
});
const userMessage = z.looseObject({
  role: z.literal('user'),
  content: z.union([
    z.string(),
    z.array(z.discriminatedUnion('type', [textPart, imagePart, audioPart, filePart])),
  ]),
  name: z.string().optional(),
});
const assistantMessage = z.looseObject({
  role: z.literal('assistant'),
  content: z.union([z.string(), z.array(z.discriminatedUnion('type', [textPart, refusalPart]))]).nullish(),
  tool_calls: z.array(toolCall).nullish(),
  reasoning_content: z.string().nullish(),
  reasoning_details: z.array(reasoningDetail).nullish(),
  /** A Gemini text part's signature, on the message as Gemini's OpenAI-compatible endpoint puts it. */
  extra_content: extraContent,
  refusal: z.string().nullish(),
  name: z.string().optional(),
});
const toolMessage = z.looseObject({
  role: z.literal('tool'),
  tool_call_id: z.string().min(1),
  content: textContent,
});

export const chatMessage = z.discriminatedUnion('role', [
  systemMessage,
  developerMessage,
  userMessage,
  assistantMessage,
  toolMessage,
]);

const functionTool = z.strictObject({
  type: z.literal('function'),
  function: z.strictObject({
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,128}$/, 'tool names may use a-z, A-Z, 0-9, _ and -, up to 128'),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullish(),
  }),
});

const toolChoice = z.union([
  z.enum(['auto', 'none', 'required']),
  z.strictObject({ type: z.literal('function'), function: z.strictObject({ name: z.string() }) }),
]);

const responseFormat = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text') }),
  z.strictObject({ type: z.literal('json_object') }),
  z.strictObject({
    type: z.literal('json_schema'),
    json_schema: z.strictObject({
      name: z.string(),
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullish(),
    }),
  }),
]);

export const chatCompletionRequest = z.looseObject({
  model: z.string().min(1),
  messages: z.array(chatMessage).min(1, 'at least one message is required'),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  tools: z.array(functionTool).nullish(),
  tool_choice: toolChoice.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  response_format: responseFormat.nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  seed: z.number().int().nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  reasoning_effort: z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']).nullish(),
  user: z.string().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  n: z.number().int().min(1).nullish(),
  top_k: z.number().int().positive().nullish(),
});

export type ChatCompletionRequest = z.infer<typeof chatCompletionRequest>;
export type ChatMessage = z.infer<typeof chatMessage>;

/** Top-level fields the schema above models; anything else is `unmodeled` on translated paths. */
export const MODELED_FIELDS: ReadonlySet<string> = new Set(Object.keys(chatCompletionRequest.shape));

/**
 * OpenAI-only hints that change nothing about the answer itself; other providers may ignore them.
 */
export const IGNORABLE_FIELDS: ReadonlySet<string> = new Set([
  'store',
  'service_tier',
  'prompt_cache_key',
  'safety_identifier',
]);
