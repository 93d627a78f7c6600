/**
 * The governance tables of the TOML document: per-key limits, JWT auth, shared limits, the response
 * cache, policy (system prompt, guardrails), pricing and the usage log. Strict like the rest, so a typo
 * is reported with its path. Secrets (`url`, `public_key`) may be `env:` references; they are resolved
 * in resolve-config-secrets.ts.
 */
import { z } from 'zod';
import { parseDuration } from './parse-duration.js';

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

const positiveInt = z.int().positive('must be at least 1');
const usdSchema = z.number().nonnegative('must be 0 or more');

export const BUDGET_PERIODS = ['day', 'month', 'total'] as const;

export const budgetSchema = z.strictObject({
  usd: z.number().positive('must be greater than 0'),
  period: z.enum(BUDGET_PERIODS).default('month'),
});

export const keyMetadataSchema = z.strictObject({
  team: z.string().optional(),
  owner: z.string().optional(),
});

/** What a key may do; shared by `[[keys]]` and the admin API's key bodies. */
export const keyLimitsShape = {
  /** Model names or aliases the key may call, as globs ("gpt-4*", "default"); absent: any. */
  models: z.array(z.string().min(1, 'must not be empty')).optional(),
  rpm: positiveInt.optional(),
  tpm: positiveInt.optional(),
  max_concurrent: positiveInt.optional(),
  budget: budgetSchema.optional(),
  metadata: keyMetadataSchema.optional(),
  /** Appended to the client's system prompt after the global one. */
  system_prompt: z.string().optional(),
};

/** Which JWT claims carry the caller's name and limits. */
const claimMapSchema = z.strictObject({
  key_name: z.string().min(1).default('sub'),
  models: z.string().min(1).optional(),
  rpm: z.string().min(1).optional(),
  tpm: z.string().min(1).optional(),
  max_concurrent: z.string().min(1).optional(),
  budget_usd: z.string().min(1).optional(),
  budget_period: z.string().min(1).optional(),
  team: z.string().min(1).optional(),
});

export const jwtSchema = z
  .strictObject({
    /** Keys fetched from here (and cached); or `public_key`. */
    jwks_url: z.string().min(1).optional(),
    /** A PEM public key (SPKI), typically "env:JWT_PUBLIC_KEY". */
    public_key: z.string().min(1).optional(),
    issuer: z.string().min(1).optional(),
    audience: z.string().min(1).optional(),
    algorithms: z.array(z.string().min(1)).optional(),
    /** A configured key whose limits a token starts from when its name claim names no key. */
    template_key: z.string().min(1).optional(),
    claims: claimMapSchema.prefault({}),
  })
  .superRefine((jwt, ctx) => {
    if ((jwt.jwks_url === undefined) === (jwt.public_key === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'set exactly one of jwks_url and public_key' });
    }
  });

export const authSchema = z.strictObject({
  jwt: jwtSchema.optional(),
});

export const limitsSchema = z.strictObject({
  backend: z.enum(['memory', 'redis']).default('memory'),
  /** redis://... (may be env:); required with backend = "redis". */
  url: z.string().min(1).optional(),
  key_prefix: z.string().default('junction:'),
  on_redis_failure: z.enum(['fail_open', 'fail_closed']).default('fail_open'),
  algorithm: z.enum(['sliding_window', 'token_bucket']).default('sliding_window'),
  /** A global limit shared by every caller (with `window`). */
  requests_per_window: positiveInt.optional(),
  window: durationSchema.default(60_000),
  /** Memory backend: how often budget spend is saved to <data_dir>/state.db (what a crash may lose). */
  budget_snapshot_interval: durationSchema
    // setInterval takes at most 2^31 - 1 ms; a day is plenty.
    .refine((ms) => ms <= 86_400_000, 'must be at most 24h')
    .default(5_000),
});

export const cacheSchema = z.strictObject({
  enabled: z.boolean().default(false),
  backend: z.enum(['memory', 'redis']).default('memory'),
  /** Redis for the cache; defaults to [limits] url. */
  url: z.string().min(1).optional(),
  ttl: durationSchema.default(3_600_000),
  /** Bound of the memory cache (whole entries are evicted, least recently used first). */
  max_bytes: positiveInt.default(64 * 1024 * 1024),
  /** Entries larger than this are not stored. */
  max_entry_bytes: positiveInt.default(1024 * 1024),
  /** Key the cache by caller too, so one key never sees another's answers. */
  per_key: z.boolean().default(false),
});

export const BUILTIN_PATTERN_NAMES = ['email', 'phone', 'card', 'api_key'] as const;

export const guardrailsSchema = z.strictObject({
  /** Case-insensitive phrases refused in input and output. */
  banned_phrases: z.array(z.string().min(1)).default([]),
  /** Regular expressions (JavaScript syntax) refused in input and output. */
  deny_patterns: z.array(z.string().min(1)).default([]),
  /** Regular expressions whose matches are replaced by [REDACTED:...] in input and output. */
  redact_patterns: z.array(z.string().min(1)).default([]),
  builtin_deny: z.array(z.enum(BUILTIN_PATTERN_NAMES)).default([]),
  builtin_redact: z.array(z.enum(BUILTIN_PATTERN_NAMES)).default([]),
  min_input_chars: z.int().nonnegative().optional(),
  max_input_chars: positiveInt.optional(),
  /** Appended (after a blank line) to every answer that has text. */
  output_disclaimer: z.string().min(1).optional(),
  /** Where phrase and pattern rules run; output checks need the translated path. */
  apply_to: z.enum(['both', 'input', 'output']).default('both'),
  /** Characters held back while streaming so a pattern split across chunks is still caught. */
  stream_window: positiveInt.default(128),
});

export const policySchema = z.strictObject({
  system_prompt: z.string().optional(),
  guardrails: guardrailsSchema.prefault({}),
});

export const pricingSchema = z.strictObject({
  /** Glob over the upstream model id or "provider/model". */
  model: z.string().min(1),
  /** USD per million tokens. */
  input: usdSchema,
  output: usdSchema,
  cached_input: usdSchema.optional(),
  cache_write: usdSchema.optional(),
  reasoning: usdSchema.optional(),
});

export const usageSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** postgres://... (may be env:), or a SQLite file path; default <data_dir>/usage.db. */
  url: z.string().min(1).optional(),
  /** PostgreSQL schema holding the table. */
  schema: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a plain SQL identifier')
    .optional(),
  queue_size: positiveInt.default(10_000),
  batch: positiveInt.default(500),
  flush_interval: durationSchema.default(1_000),
  retention_days: positiveInt.optional(),
});
