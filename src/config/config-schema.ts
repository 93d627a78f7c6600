/**
 * The raw TOML document, as zod schemas. Every table is strict so a typo ("base_ur") is reported with its
 * path instead of being silently ignored. To add a key, add it to the table's shape here and map it to
 * GatewayConfig in build-gateway-config.ts; to add a provider type, add a branch to `providerSchema`.
 *
 * This validates shape and fills defaults only. Secrets (`env:`, resolve-config-secrets.ts), cross-references
 * (check-config-references.ts) and the exposure rule (check-exposure.ts) need the environment or the whole
 * document and run beside it.
 */
import { z } from 'zod';
import { parseDuration } from './parse-duration.js';
import { parseListenAddress } from './parse-listen-address.js';

export const PROVIDER_TYPES = ['openai', 'anthropic', 'gemini', 'echo'] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

/** SDK-style base URLs: OpenAI's includes /v1, Anthropic's and Gemini's do not. */
export const DEFAULT_BASE_URLS = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
  gemini: 'https://generativelanguage.googleapis.com',
} as const;

export const DEFAULT_LISTEN = '127.0.0.1:8787';
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 600_000;
export const DEFAULT_MAX_CONNECTIONS = 128;

const OFFICIAL_OPENAI_HOST = 'api.openai.com';

/** A string that may be `env:VAR`; resolved later, against the environment. */
const secretSchema = z.string().min(1, 'must not be empty');

const durationSchema = z
  .union([z.number(), z.string()], {
    error: 'must be a duration like "60s" or a number of milliseconds',
  })
  .transform((value, ctx) => {
    try {
      return parseDuration(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });

const baseUrlSchema = z
  .string()
  .refine(isHttpUrl, 'must be an absolute http:// or https:// URL')
  // One canonical spelling, so adapters can append paths with a single "/".
  .transform((url) => url.replace(/\/+$/, ''));

// RFC 9110 token characters; undici rejects anything else when the request is made, which is too late.
const headerNameSchema = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'is not a valid HTTP header name');
const headerValueSchema = z.string().refine((v) => !/[\r\n\0]/.test(v), 'must not contain line breaks');

/** Keys every upstream-calling provider type accepts. */
const upstreamShape = {
  api_key: secretSchema.optional(),
  timeout: durationSchema.default(DEFAULT_TIMEOUT_MS),
  headers: z.record(headerNameSchema, headerValueSchema).default({}),
  max_connections: z.int().positive('must be at least 1').default(DEFAULT_MAX_CONNECTIONS),
};

const openaiProviderSchema = z
  .strictObject({
    type: z.literal('openai'),
    base_url: baseUrlSchema.default(DEFAULT_BASE_URLS.openai),
    ...upstreamShape,
  })
  .superRefine((provider, ctx) => {
    // Local OpenAI-compatible servers (vLLM, llama.cpp, Ollama) often need no key; OpenAI itself does.
    if (provider.api_key === undefined && new URL(provider.base_url).hostname === OFFICIAL_OPENAI_HOST) {
      ctx.addIssue({
        code: 'custom',
        path: ['api_key'],
        message: `required for ${OFFICIAL_OPENAI_HOST} (e.g. api_key = "env:OPENAI_API_KEY")`,
      });
    }
  });

const anthropicProviderSchema = z.strictObject({
  type: z.literal('anthropic'),
  base_url: baseUrlSchema.default(DEFAULT_BASE_URLS.anthropic),
  ...upstreamShape,
  api_key: secretSchema,
});

const geminiProviderSchema = z.strictObject({
  type: z.literal('gemini'),
  base_url: baseUrlSchema.default(DEFAULT_BASE_URLS.gemini),
  ...upstreamShape,
  api_key: secretSchema,
});

/** The built-in deterministic provider: no upstream, so no base_url, key, headers or pool. */
const echoProviderSchema = z.strictObject({
  type: z.literal('echo'),
});

export const providerSchema = z.discriminatedUnion('type', [
  openaiProviderSchema,
  anthropicProviderSchema,
  geminiProviderSchema,
  echoProviderSchema,
]);
export type ProviderSection = z.output<typeof providerSchema>;

// Provider names and aliases are addressed as "<provider>/<model>" and "<alias>", so neither may hold "/".
const providerNameSchema = z
  .string()
  .regex(/^[^/\s]+$/, 'provider names must not be empty or contain "/" or spaces');

const targetSchema = z.string().transform((target, ctx) => {
  // Split at the first "/" only: model ids may contain "/" ("meta-llama/Llama-3.3-70B").
  const slash = target.indexOf('/');
  if (slash <= 0 || slash === target.length - 1) {
    ctx.addIssue({ code: 'custom', message: `"${target}" must be "provider/model", e.g. "openai/gpt-4.1"` });
    return z.NEVER;
  }
  return { provider: target.slice(0, slash), model: target.slice(slash + 1) };
});

export const modelSchema = z.strictObject({
  alias: z
    .string()
    .min(1, 'must not be empty')
    .refine(
      (alias) => !alias.includes('/'),
      'must not contain "/" (that form addresses provider/model directly)',
    ),
  targets: z.array(targetSchema).min(1, 'must list at least one "provider/model" target'),
  /** Request defaults in OpenAI field names; the client's own values win. */
  defaults: z.record(z.string(), z.unknown()).default({}),
});
export type ModelSection = z.output<typeof modelSchema>;

export const keySchema = z.strictObject({
  name: z.string().min(1, 'must not be empty'),
  key: secretSchema,
});
export type KeySection = z.output<typeof keySchema>;

const listenSchema = z.string().transform((text, ctx) => {
  try {
    return parseListenAddress(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

export const serverSchema = z.strictObject({
  listen: listenSchema.prefault(DEFAULT_LISTEN),
  /** Left undefined when not written: "not set" and "set to true" differ for the exposure rule. */
  require_auth: z.boolean().optional(),
  max_body_bytes: z.int().positive('must be at least 1').default(DEFAULT_MAX_BODY_BYTES),
});
export type ServerSection = z.output<typeof serverSchema>;

export const configSchema = z.strictObject({
  server: serverSchema.prefault({}),
  keys: z.array(keySchema).default([]),
  providers: z.record(providerNameSchema, providerSchema).default({}),
  models: z.array(modelSchema).default([]),
});
export type ConfigDocument = z.output<typeof configSchema>;

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
