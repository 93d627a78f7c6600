/**
 * Zod schema of an Anthropic Messages request (`POST /v1/messages`) as clients send it.
 *
 * Each modelled block type checks its own required fields, so a malformed block is a 400 naming the field
 * ("messages[0].content[1].source.url: ..."). Blocks are loose about extra keys on purpose: clients echo
 * response blocks back verbatim, with response-only fields such as `citations: null` or `caller`.
 * Block, tool and thinking types Junction does not model (server_tool_use, web_search_20250305, ...) are
 * accepted here and reported as `unmodeled` (see anthropic-messages-unmodeled.ts): harmless on the
 * same-dialect fast path, a 400 on a translated one. The top level is loose for the same reason.
 */
import { z } from 'zod';

export const cacheControl = z.looseObject({
  type: z.literal('ephemeral'),
  ttl: z.enum(['5m', '1h']).optional(),
});

/** A block whose `type` is not one of `known`; such blocks pass validation and are reported as unmodeled. */
function otherBlock(known: readonly string[]) {
  return z.looseObject({
    type: z
      .string()
      .refine((type) => !known.includes(type), { message: 'unexpected block type', abort: true }),
  });
}

export const textBlock = z.looseObject({
  type: z.literal('text'),
  text: z.string(),
  cache_control: cacheControl.nullish(),
});

const base64Source = z.looseObject({
  type: z.literal('base64'),
  media_type: z.string().min(1),
  data: z.string(),
});
const urlSource = z.looseObject({ type: z.literal('url'), url: z.string().min(1) });
const fileSource = z.looseObject({ type: z.literal('file'), file_id: z.string() });
const plainTextSource = z.looseObject({
  type: z.literal('text'),
  media_type: z.string().optional(),
  data: z.string(),
});
const contentSource = z.looseObject({ type: z.literal('content'), content: z.unknown().optional() });

export const imageBlock = z.looseObject({
  type: z.literal('image'),
  source: z.discriminatedUnion('type', [base64Source, urlSource, fileSource]),
  cache_control: cacheControl.nullish(),
});

export const documentBlock = z.looseObject({
  type: z.literal('document'),
  source: z.discriminatedUnion('type', [base64Source, urlSource, plainTextSource, contentSource, fileSource]),
  title: z.string().nullish(),
  context: z.string().nullish(),
  citations: z.looseObject({ enabled: z.boolean().nullish() }).nullish(),
  cache_control: cacheControl.nullish(),
});

const TOOL_RESULT_CONTENT_TYPES = ['text', 'image'] as const;
const knownToolResultContent = z.discriminatedUnion('type', [textBlock, imageBlock]);
const toolResultContentBlock = z.union([knownToolResultContent, otherBlock(TOOL_RESULT_CONTENT_TYPES)]);

export const toolResultBlock = z.looseObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1),
  content: z.union([z.string(), z.array(toolResultContentBlock)]).nullish(),
  is_error: z.boolean().nullish(),
  cache_control: cacheControl.nullish(),
});

export const toolUseBlock = z.looseObject({
  type: z.literal('tool_use'),
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.unknown().optional(),
  cache_control: cacheControl.nullish(),
  caller: z.looseObject({ type: z.string() }).nullish(),
});

export const thinkingBlock = z.looseObject({
  type: z.literal('thinking'),
  thinking: z.string(),
  signature: z.string(),
});
export const redactedThinkingBlock = z.looseObject({
  type: z.literal('redacted_thinking'),
  data: z.string(),
});

const CONTENT_BLOCK_TYPES = [
  'text',
  'image',
  'document',
  'tool_result',
  'tool_use',
  'thinking',
  'redacted_thinking',
] as const;

const knownContentBlock = z.discriminatedUnion('type', [
  textBlock,
  imageBlock,
  documentBlock,
  toolResultBlock,
  toolUseBlock,
  thinkingBlock,
  redactedThinkingBlock,
]);
const contentBlock = z.union([knownContentBlock, otherBlock(CONTENT_BLOCK_TYPES)]);

export const messageParam = z.looseObject({
  role: z.enum(['user', 'assistant']),
  content: z.union([z.string(), z.array(contentBlock)]),
});

export const customTool = z.looseObject({
  type: z.literal('custom').nullish(),
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,128}$/, 'tool names may use a-z, A-Z, 0-9, _ and -, up to 128'),
  description: z.string().optional(),
  input_schema: z.record(z.string(), z.unknown()),
  cache_control: cacheControl.nullish(),
  strict: z.boolean().nullish(),
  defer_loading: z.boolean().nullish(),
});

/** Anthropic-hosted tools (web search, code execution, ...): `type` is a versioned name, not `custom`. */
const serverTool = z.looseObject({
  type: z.string().refine((type) => type !== 'custom', { message: 'unexpected tool type', abort: true }),
});

const tool = z.union([customTool, serverTool]);

const parallel = { disable_parallel_tool_use: z.boolean().nullish() };
const toolChoice = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('auto'), ...parallel }),
  z.looseObject({ type: z.literal('any'), ...parallel }),
  z.looseObject({ type: z.literal('tool'), name: z.string().min(1), ...parallel }),
  z.looseObject({ type: z.literal('none') }),
]);

const THINKING_TYPES = ['enabled', 'disabled', 'adaptive'] as const;
/** `thinking.display` values Junction models; others (betas) reach Anthropic on the fast path only. */
export const THINKING_DISPLAYS = ['summarized', 'omitted'] as const;
export type ThinkingDisplay = (typeof THINKING_DISPLAYS)[number];
const display = { display: z.string().nullish() };
const knownThinking = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('enabled'), budget_tokens: z.number().int().positive(), ...display }),
  z.looseObject({ type: z.literal('disabled') }),
  z.looseObject({ type: z.literal('adaptive'), ...display }),
]);
const thinking = z.union([knownThinking, otherBlock(THINKING_TYPES)]);

/** Anthropic's `output_config.effort` values, lowest first. */
export const ANTHROPIC_EFFORTS = ['low', 'medium', 'high', 'xhigh', 'max'] as const;
export type AnthropicEffort = (typeof ANTHROPIC_EFFORTS)[number];

const jsonSchemaFormat = z.looseObject({
  type: z.literal('json_schema'),
  schema: z.record(z.string(), z.unknown()),
});

export const messagesRequestShape = {
  model: z.string().min(1),
  max_tokens: z.number().int().positive(),
  messages: z.array(messageParam).min(1, 'at least one message is required'),
  system: z.union([z.string(), z.array(textBlock)]).nullish(),
  tools: z.array(tool).nullish(),
  tool_choice: toolChoice.nullish(),
  thinking: thinking.nullish(),
  output_config: z
    .looseObject({ effort: z.enum(ANTHROPIC_EFFORTS).nullish(), format: jsonSchemaFormat.nullish() })
    .nullish(),
  /** The structured-outputs beta spelling of `output_config.format`. */
  output_format: jsonSchemaFormat.nullish(),
  stop_sequences: z.array(z.string()).nullish(),
  temperature: z.number().min(0).max(1).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  top_k: z.number().int().nonnegative().nullish(),
  metadata: z.looseObject({ user_id: z.string().nullish() }).nullish(),
  stream: z.boolean().nullish(),
  /** Top-level automatic caching: Anthropic puts the breakpoint on the last cacheable block. */
  cache_control: cacheControl.nullish(),
  service_tier: z.string().nullish(),
  container: z.unknown().optional(),
  mcp_servers: z.array(z.unknown()).nullish(),
};

export const messagesRequest = z.looseObject(messagesRequestShape);

export type MessagesRequest = z.infer<typeof messagesRequest>;
export type MessageParam = z.infer<typeof messageParam>;
export type ContentBlock = z.infer<typeof contentBlock>;
export type KnownContentBlock = z.infer<typeof knownContentBlock>;
export type ToolResultContentBlock = z.infer<typeof toolResultContentBlock>;
export type KnownToolResultContent = z.infer<typeof knownToolResultContent>;
export type KnownThinking = z.infer<typeof knownThinking>;
export type ToolParam = z.infer<typeof tool>;
export type CacheControl = z.infer<typeof cacheControl>;
export type CustomTool = z.infer<typeof customTool>;

/** Narrows a block to the modelled types; the rest are unmodeled. */
export function isKnownBlock(block: ContentBlock): block is KnownContentBlock {
  return (CONTENT_BLOCK_TYPES as readonly string[]).includes(block.type);
}

export function isKnownToolResultContent(block: ToolResultContentBlock): block is KnownToolResultContent {
  return (TOOL_RESULT_CONTENT_TYPES as readonly string[]).includes(block.type);
}

export function isKnownThinking(config: z.infer<typeof thinking>): config is KnownThinking {
  return (THINKING_TYPES as readonly string[]).includes(config.type);
}

export function isThinkingDisplay(value: unknown): value is ThinkingDisplay {
  return typeof value === 'string' && (THINKING_DISPLAYS as readonly string[]).includes(value);
}

/** A custom (client-executed) tool, as opposed to an Anthropic-hosted one. */
export function isCustomTool(tool: ToolParam): tool is CustomTool {
  return tool.type == null || tool.type === 'custom';
}

/** Top-level fields the canonical model carries (or that are checked one by one for unmodeled content). */
export const MODELED_FIELDS: ReadonlySet<string> = new Set(Object.keys(messagesRequestShape));

/** Hints that change nothing about the answer itself; other providers may ignore them. */
export const IGNORABLE_FIELDS: ReadonlySet<string> = new Set(['service_tier', 'speed']);
