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
import { EMBEDDING_INPUT_TYPES, isEmbeddingInputType } from '../core/embeddings.js';
import {
  authSchema,
  cacheSchema,
  keyLimitsShape,
  limitsSchema,
  policySchema,
  pricingSchema,
  usageSchema,
} from './governance-schema.js';
import { parseDuration } from './parse-duration.js';
import { parseListenAddress } from './parse-listen-address.js';
import { storeSchema } from './store-schema.js';

/**
 * OpenAI-wire presets: a default base URL over the `openai` adapter, plus the quirks each has (see
 * src/providers/openai-compatible/presets.ts). Keys are required except for local servers.
 */
export const PRESET_BASE_URLS = {
  openrouter: 'https://openrouter.ai/api/v1',
  groq: 'https://api.groq.com/openai/v1',
  deepseek: 'https://api.deepseek.com/v1',
  xai: 'https://api.x.ai/v1',
  together: 'https://api.together.xyz/v1',
  fireworks: 'https://api.fireworks.ai/inference/v1',
  perplexity: 'https://api.perplexity.ai',
  cerebras: 'https://api.cerebras.ai/v1',
  zai: 'https://api.z.ai/api/paas/v4',
  moonshot: 'https://api.moonshot.ai/v1',
  requesty: 'https://router.requesty.ai/v1',
  'mistral-openai': 'https://api.mistral.ai/v1',
  'gemini-openai': 'https://generativelanguage.googleapis.com/v1beta/openai',
  lmstudio: 'http://127.0.0.1:1234/v1',
} as const;
export type PresetType = keyof typeof PRESET_BASE_URLS;
export const PRESET_TYPES = Object.keys(PRESET_BASE_URLS) as PresetType[];
/** Presets that run on the user's own machine and need no key. */
const KEYLESS_PRESETS: ReadonlySet<string> = new Set(['lmstudio']);

export const PROVIDER_TYPES = [
  'openai',
  'anthropic',
  'gemini',
  'echo',
  'bedrock',
  'vertex',
  'azure',
  'cohere',
  'mistral',
  'ollama',
  ...PRESET_TYPES,
] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

/** SDK-style base URLs: OpenAI's includes /v1, Anthropic's and Gemini's do not. */
export const DEFAULT_BASE_URLS = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
  gemini: 'https://generativelanguage.googleapis.com',
} as const;

export const DEFAULT_LISTEN = '127.0.0.1:8787';
/** The `source` of the built-in config (in logs and problem lists). */
export const EMBEDDED_DEFAULT_SOURCE = 'embedded default';
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
/** Under Kubernetes' default 30 s between SIGTERM and SIGKILL, so streams end with an error, not a kill. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 25_000;
export const DEFAULT_TIMEOUT_MS = 600_000;
export const DEFAULT_MAX_CONNECTIONS = 128;
export const DEFAULT_DATA_DIR = './.junction-data';

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
  /** Several keys, rotated; a key the upstream refuses or throttles cools down alone. */
  api_keys: z.array(secretSchema).min(1, 'must list at least one key').optional(),
  timeout: durationSchema.default(DEFAULT_TIMEOUT_MS),
  headers: z.record(headerNameSchema, headerValueSchema).default({}),
  max_connections: z.int().positive('must be at least 1').default(DEFAULT_MAX_CONNECTIONS),
  /** Requests in flight to this provider; beyond it a bounded queue, then 503 + Retry-After. */
  max_concurrent: z.int().positive('must be at least 1').optional(),
  queue_timeout: durationSchema.optional(),
  max_queue: z.int().nonnegative('must be 0 or more').optional(),
  /** Negotiate HTTP/2 with the upstream (ALPN); HTTP/1.1 keep-alive otherwise. */
  http2: z.boolean().default(false),
};

/**
 * Keys of the provider types that speak OpenAI Chat Completions (`openai`, `azure`, the presets).
 * `include_stream_usage = false`: never ask a stream for its usage with `stream_options.include_usage`, for
 * upstreams that refuse the field (Azure API versions before 2024-09-01, some self-hosted servers).
 */
const openaiWireShape = {
  include_stream_usage: z.boolean().default(true),
};

const openaiProviderSchema = z
  .strictObject({
    type: z.literal('openai'),
    base_url: baseUrlSchema.default(DEFAULT_BASE_URLS.openai),
    ...upstreamShape,
    ...openaiWireShape,
  })
  .superRefine((provider, ctx) => {
    // Local OpenAI-compatible servers (vLLM, llama.cpp, Ollama) often need no key; OpenAI itself does.
    if (
      provider.api_key === undefined &&
      provider.api_keys === undefined &&
      new URL(provider.base_url).hostname === OFFICIAL_OPENAI_HOST
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['api_key'],
        message: `required for ${OFFICIAL_OPENAI_HOST} (e.g. api_key = "env:OPENAI_API_KEY")`,
      });
    }
  });

const anthropicProviderSchema = z
  .strictObject({
    type: z.literal('anthropic'),
    base_url: baseUrlSchema.default(DEFAULT_BASE_URLS.anthropic),
    ...upstreamShape,
  })
  .superRefine(requireSomeKey());

const geminiProviderSchema = z
  .strictObject({
    type: z.literal('gemini'),
    base_url: baseUrlSchema.default(DEFAULT_BASE_URLS.gemini),
    ...upstreamShape,
  })
  .superRefine(requireSomeKey());

/** Hosted providers need a key: `api_key` or `api_keys`. */
function requireSomeKey() {
  return (provider: { api_key?: string; api_keys?: string[] }, ctx: z.RefinementCtx): void => {
    if (provider.api_key === undefined && provider.api_keys === undefined) {
      ctx.addIssue({ code: 'custom', path: ['api_key'], message: 'required' });
    }
  };
}

/** The built-in deterministic provider: no upstream, so no base_url, key, headers or pool. */
const echoProviderSchema = z.strictObject({
  type: z.literal('echo'),
});

const presetProviderSchema = z
  .strictObject({
    type: z.enum(PRESET_TYPES as [PresetType, ...PresetType[]]),
    /** Defaults to the preset's own (PRESET_BASE_URLS), filled in when the config is assembled. */
    base_url: baseUrlSchema.optional(),
    ...upstreamShape,
    ...openaiWireShape,
  })
  .superRefine((provider, ctx) => {
    if (!KEYLESS_PRESETS.has(provider.type)) requireSomeKey()(provider, ctx);
  });

/** AWS Bedrock Converse: credentials from config, else AWS_* env vars, else the shared credentials file. */
const bedrockProviderSchema = z.strictObject({
  type: z.literal('bedrock'),
  /** Endpoint override (a VPC endpoint, or a local mock); default https://bedrock-runtime.{region}.amazonaws.com */
  base_url: baseUrlSchema.optional(),
  region: z.string().min(1).optional(),
  access_key_id: secretSchema.optional(),
  secret_access_key: secretSchema.optional(),
  session_token: secretSchema.optional(),
  profile: z.string().min(1).optional(),
  timeout: durationSchema.default(DEFAULT_TIMEOUT_MS),
  headers: upstreamShape.headers,
  max_connections: upstreamShape.max_connections,
  max_concurrent: upstreamShape.max_concurrent,
  queue_timeout: upstreamShape.queue_timeout,
  max_queue: upstreamShape.max_queue,
  http2: upstreamShape.http2,
});

/** Google Vertex AI: Gemini and Anthropic models, authenticated with a service account. */
const vertexProviderSchema = z.strictObject({
  type: z.literal('vertex'),
  project: z.string().min(1, 'must name the Google Cloud project'),
  location: z.string().min(1).default('us-central1'),
  /** Endpoint override; default https://{location}-aiplatform.googleapis.com (global: aiplatform.googleapis.com). */
  base_url: baseUrlSchema.optional(),
  /** A path to the service-account JSON file ... */
  credentials_file: z.string().min(1).optional(),
  /** ... or the JSON itself, typically "env:GOOGLE_SERVICE_ACCOUNT_JSON". */
  credentials_json: secretSchema.optional(),
  /** OAuth token endpoint override (tests); default the service account's token_uri. */
  token_url: baseUrlSchema.optional(),
  timeout: durationSchema.default(DEFAULT_TIMEOUT_MS),
  headers: upstreamShape.headers,
  max_connections: upstreamShape.max_connections,
  max_concurrent: upstreamShape.max_concurrent,
  queue_timeout: upstreamShape.queue_timeout,
  max_queue: upstreamShape.max_queue,
  http2: upstreamShape.http2,
});

/** Azure OpenAI: the model in a target is the deployment name. */
const azureProviderSchema = z
  .strictObject({
    type: z.literal('azure'),
    /** https://{resource}.openai.azure.com */
    base_url: baseUrlSchema,
    /** A dated version ("2024-10-21") uses /openai/deployments/{deployment}/...; "v1" uses /openai/v1/... */
    api_version: z.string().min(1).default('2024-10-21'),
    /** Microsoft Entra ID bearer token instead of an api-key. */
    bearer_token: secretSchema.optional(),
    ...upstreamShape,
    ...openaiWireShape,
  })
  .superRefine((provider, ctx) => {
    if (
      provider.api_key === undefined &&
      provider.api_keys === undefined &&
      provider.bearer_token === undefined
    ) {
      ctx.addIssue({ code: 'custom', path: ['api_key'], message: 'required (or bearer_token)' });
    }
  });

const cohereProviderSchema = z
  .strictObject({
    type: z.literal('cohere'),
    base_url: baseUrlSchema.default('https://api.cohere.com'),
    ...upstreamShape,
  })
  .superRefine(requireSomeKey());

const mistralProviderSchema = z
  .strictObject({
    type: z.literal('mistral'),
    base_url: baseUrlSchema.default('https://api.mistral.ai/v1'),
    ...upstreamShape,
  })
  .superRefine(requireSomeKey());

/** Ollama's native API (/api/chat, NDJSON); no key unless a proxy in front wants one. */
const ollamaProviderSchema = z.strictObject({
  type: z.literal('ollama'),
  base_url: baseUrlSchema.default('http://127.0.0.1:11434'),
  ...upstreamShape,
});

export const providerSchema = z.discriminatedUnion('type', [
  openaiProviderSchema,
  anthropicProviderSchema,
  geminiProviderSchema,
  echoProviderSchema,
  bedrockProviderSchema,
  vertexProviderSchema,
  azureProviderSchema,
  cohereProviderSchema,
  mistralProviderSchema,
  ollamaProviderSchema,
  presetProviderSchema,
]);
export type ProviderSection = z.output<typeof providerSchema>;

// Provider names and aliases are addressed as "<provider>/<model>" and "<alias>", so neither may hold "/".
const providerNameSchema = z
  .string()
  .regex(/^[^/\s]+$/, 'provider names must not be empty or contain "/" or spaces');

const targetStringSchema = z.string().transform((target, ctx) => {
  // Split at the first "/" only: model ids may contain "/" ("meta-llama/Llama-3.3-70B").
  const slash = target.indexOf('/');
  if (slash <= 0 || slash === target.length - 1) {
    ctx.addIssue({ code: 'custom', message: `"${target}" must be "provider/model", e.g. "openai/gpt-4.1"` });
    return z.NEVER;
  }
  return { provider: target.slice(0, slash), model: target.slice(slash + 1) };
});

/** A target is "provider/model", or a table with a weight for the weighted strategy. */
const weightedTargetSchema = z.strictObject({
  target: targetStringSchema,
  weight: z.number().positive('must be greater than 0').default(1),
});
// A hand-rolled union: zod's own reports "Invalid input" and hides the branch's useful message.
const targetSchema = z.unknown().transform((value, ctx) => {
  if (typeof value === 'string') {
    const result = targetStringSchema.safeParse(value);
    if (result.success) return { ...result.data, weight: 1 };
    forwardIssues(result.error, ctx);
    return z.NEVER;
  }
  const result = weightedTargetSchema.safeParse(value);
  if (result.success) return { ...result.data.target, weight: result.data.weight };
  forwardIssues(result.error, ctx);
  return z.NEVER;
});

function forwardIssues(error: z.ZodError, ctx: z.RefinementCtx): void {
  for (const issue of error.issues)
    ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
}

const failoverEntrySchema = z.union([
  z.int().min(400, 'must be an HTTP status 400-599').max(599, 'must be an HTTP status 400-599'),
  z.enum([
    'timeout',
    'network',
    'overloaded',
    'rate_limit',
    'quota',
    'transient',
    'auth',
    'permission',
    'not_found',
  ]),
]);

/** Resilience knobs an alias may set; unset ones fall back to [routing]. */
const routePolicyShape = {
  failover_on: z.array(failoverEntrySchema).optional(),
  retries: z.int().min(0, 'must be 0 or more').max(10, 'must be at most 10').optional(),
  timeout: durationSchema.optional(),
  first_byte_timeout: durationSchema.optional(),
  idle_timeout: durationSchema.optional(),
};

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
  defaults: z
    .record(z.string(), z.unknown())
    .superRefine((defaults, ctx) => {
      // The embeddings default is checked here: a bad one would otherwise be dropped at request time.
      if ('input_type' in defaults && !isEmbeddingInputType(defaults.input_type))
        ctx.addIssue({
          code: 'custom',
          path: ['input_type'],
          message: `must be one of ${EMBEDDING_INPUT_TYPES.map((type) => `"${type}"`).join(', ')}`,
        });
    })
    .default({}),
  strategy: z
    .enum(['fallback', 'weighted', 'round-robin', 'least-latency', 'least-busy'])
    .default('fallback'),
  resume_streams: z.boolean().default(false),
  ...routePolicyShape,
});

export const routingSchema = z.strictObject({
  ...routePolicyShape,
  /** Providers in the order tried for a model name that is neither an alias nor provider/model. */
  provider_order: z.array(z.string()).default([]),
  /** With x-llm-provider, fail over to the other providers of provider_order. */
  provider_failover: z.boolean().default(false),
  breaker: z
    .strictObject({
      consecutive_failures: z.int().positive().default(5),
      failure_rate: z.number().gt(0).max(1).default(0.5),
      min_requests: z.int().positive().default(20),
      window: durationSchema.default(60_000),
      cooldown: durationSchema.default(30_000),
    })
    .prefault({}),
  backoff: z
    .strictObject({
      base: durationSchema.default(200),
      max: durationSchema.default(5_000),
      max_retry_after: durationSchema.default(30_000),
    })
    .prefault({}),
});
export type RoutingSection = z.output<typeof routingSchema>;

export type ModelSection = z.output<typeof modelSchema>;

export const keySchema = z.strictObject({
  name: z.string().min(1, 'must not be empty'),
  key: secretSchema,
  ...keyLimitsShape,
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
  /** Where the gateway keeps local state (the SQLite usage log). */
  data_dir: z.string().min(1).default(DEFAULT_DATA_DIR),
  /** On SIGTERM, how long requests already running may take before they are ended. */
  shutdown_grace: durationSchema.default(DEFAULT_SHUTDOWN_GRACE_MS),
});
export type ServerSection = z.output<typeof serverSchema>;

export const adminSchema = z.strictObject({
  /** A separate listener for the admin API; without it, /admin/* is served on the main listener. */
  listen: listenSchema.optional(),
  /** Bearer token for /admin/*; without one the admin API is off. */
  token: secretSchema.optional(),
});

export const configSchema = z.strictObject({
  server: serverSchema.prefault({}),
  keys: z.array(keySchema).default([]),
  providers: z.record(providerNameSchema, providerSchema).default({}),
  models: z.array(modelSchema).default([]),
  routing: routingSchema.prefault({}),
  admin: adminSchema.prefault({}),
  auth: authSchema.prefault({}),
  limits: limitsSchema.prefault({}),
  cache: cacheSchema.prefault({}),
  policy: policySchema.prefault({}),
  pricing: z.array(pricingSchema).default([]),
  usage: usageSchema.prefault({}),
  store: storeSchema.prefault({}),
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
