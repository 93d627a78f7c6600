/**
 * The OpenAPI 3.1 description of the admin API, served at /admin/openapi.json. A test checks that
 * every registered /admin route appears here with its method, so the two cannot drift apart.
 */

type Json = Record<string, unknown>;

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json, description = 'OK'): Json => ({
  description,
  content: { 'application/json': { schema } },
});
const errors = {
  '400': json(ref('Error'), 'Invalid request'),
  '401': json(ref('Error'), 'Missing or wrong admin token'),
  '404': json(ref('Error'), 'Not found'),
};
const body = (schema: Json): Json => ({ required: true, content: { 'application/json': { schema } } });
const nameParam = { name: 'name', in: 'path', required: true, schema: { type: 'string' } };
const nullable = (type: string): Json => ({ type: [type, 'null'] });

const keyLimits: Json = {
  models: { type: 'array', items: { type: 'string' }, description: 'Allowed model names or aliases (globs)' },
  rpm: { type: 'integer', minimum: 1 },
  tpm: { type: 'integer', minimum: 1 },
  max_concurrent: { type: 'integer', minimum: 1 },
  budget: ref('Budget'),
  metadata: {
    type: 'object',
    properties: { team: { type: 'string' }, owner: { type: 'string' } },
    additionalProperties: false,
  },
  system_prompt: { type: 'string' },
};

const SCHEMAS: Json = {
  Error: {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['message', 'type'],
        properties: { message: { type: 'string' }, type: { type: 'string' }, code: { type: 'string' } },
      },
    },
  },
  Budget: {
    type: 'object',
    required: ['usd'],
    properties: { usd: { type: 'number', exclusiveMinimum: 0 }, period: { enum: ['day', 'month', 'total'] } },
    additionalProperties: false,
  },
  Key: {
    type: 'object',
    required: ['name', 'source', 'revoked'],
    properties: {
      name: { type: 'string' },
      source: { enum: ['config', 'admin'] },
      created_at: nullable('string'),
      revoked: { type: 'boolean' },
      models: { type: ['array', 'null'], items: { type: 'string' } },
      rpm: nullable('integer'),
      tpm: nullable('integer'),
      max_concurrent: nullable('integer'),
      budget: { oneOf: [ref('Budget'), { type: 'null' }] },
      metadata: { type: ['object', 'null'] },
      system_prompt: nullable('string'),
      rotated_at: { type: ['string', 'null'], format: 'date-time', description: 'The last rotation' },
      previous_secret_expires_at: {
        type: ['string', 'null'],
        format: 'date-time',
        description: 'When the last replaced secret still in its grace period stops working',
      },
      budget_status: {
        type: ['object', 'null'],
        properties: {
          period: { type: 'string' },
          limit_usd: { type: 'number' },
          spent_usd: { type: 'number' },
          held_usd: { type: 'number' },
        },
      },
    },
  },
  KeyCreate: {
    type: 'object',
    required: ['name'],
    properties: { name: { type: 'string', pattern: '^[\\w.:@-]+$' }, ...keyLimits },
    additionalProperties: false,
  },
  KeyWithSecret: {
    type: 'object',
    required: ['key', 'secret'],
    properties: { key: ref('Key'), secret: { type: 'string', description: 'Shown in this response only' } },
  },
  KeyRotate: {
    type: 'object',
    properties: {
      grace_period: {
        type: ['string', 'integer', 'null'],
        description:
          'How long the replaced secret keeps working: a duration ("15m", "24h", at most 720h) or milliseconds. Absent or null: it stops at once',
      },
    },
    additionalProperties: false,
  },
  KeyUpdate: {
    type: 'object',
    description: 'Limits to replace; null removes a limit',
    properties: Object.fromEntries(
      Object.entries(keyLimits).map(([field, schema]) => [field, { oneOf: [schema, { type: 'null' }] }]),
    ),
    additionalProperties: false,
  },
  RateLimitPolicy: {
    type: 'object',
    properties: {
      requests_per_window: nullable('integer'),
      window_ms: { type: 'integer' },
      algorithm: { enum: ['sliding_window', 'token_bucket'] },
      source: { enum: ['config', 'admin'] },
    },
  },
  RateLimitUpdate: {
    type: 'object',
    properties: {
      requests_per_window: nullable('integer'),
      window: { type: ['string', 'integer'], description: 'A duration ("1m") or milliseconds' },
      algorithm: { enum: ['sliding_window', 'token_bucket'] },
    },
    additionalProperties: false,
  },
  SystemPrompt: {
    type: 'object',
    required: ['system_prompt'],
    properties: { system_prompt: nullable('string'), source: { enum: ['config', 'admin'] } },
  },
  Guardrails: {
    type: 'object',
    properties: {
      banned_phrases: { type: 'array', items: { type: 'string' } },
      deny_patterns: { type: 'array', items: { type: 'string' } },
      redact_patterns: { type: 'array', items: { type: 'string' } },
      builtin_deny: { type: 'array', items: { enum: ['email', 'phone', 'card', 'api_key'] } },
      builtin_redact: { type: 'array', items: { enum: ['email', 'phone', 'card', 'api_key'] } },
      min_input_chars: nullable('integer'),
      max_input_chars: nullable('integer'),
      output_disclaimer: nullable('string'),
      apply_to: { enum: ['both', 'input', 'output'] },
      stream_window: { type: 'integer' },
    },
  },
  Reverted: { type: 'object', properties: { reverted: { type: 'boolean' }, source: { const: 'config' } } },
  CacheEntries: {
    type: 'object',
    required: ['entries'],
    properties: {
      entries: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            key: { type: 'string' },
            model: { type: 'string' },
            key_name: nullable('string'),
            created_at: { type: 'string', format: 'date-time' },
            expires_at: { type: 'string', format: 'date-time' },
            bytes: { type: 'integer' },
          },
        },
      },
    },
  },
  Usage: {
    type: 'object',
    required: ['rows'],
    properties: {
      from: { type: 'string', format: 'date-time' },
      to: { type: 'string', format: 'date-time' },
      bucket: { enum: ['hour', 'day'] },
      group_by: { type: 'array', items: { enum: ['key', 'model', 'provider'] } },
      rows: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            bucket_start: { type: 'string', format: 'date-time' },
            key: { type: 'string' },
            model: { type: 'string' },
            provider: nullable('string'),
            requests: { type: 'integer' },
            errors: { type: 'integer' },
            cache_hits: { type: 'integer' },
            input_tokens: { type: 'integer' },
            cached_input_tokens: { type: 'integer' },
            cache_write_tokens: { type: 'integer' },
            output_tokens: { type: 'integer' },
            reasoning_tokens: { type: 'integer' },
            cost_usd: { type: 'number' },
            avg_latency_ms: { type: 'number' },
          },
        },
      },
    },
  },
  UsageStats: {
    type: 'object',
    properties: {
      backend: { type: ['string', 'null'] },
      queued: { type: 'integer' },
      written: { type: 'integer' },
      dropped: { type: 'integer' },
      failed_writes: { type: 'integer' },
      last_error: nullable('string'),
    },
  },
};

const policyPath = (summary: string, get: string, put: string): Json => ({
  get: { summary: `Effective ${summary}`, responses: { '200': json(ref(get)), ...errors } },
  put: {
    summary: `Replace the ${summary} (all nodes, no restart)`,
    requestBody: body(ref(put)),
    responses: { '200': json(ref(get)), ...errors },
  },
  delete: {
    summary: `Go back to the configured ${summary}`,
    responses: { '200': json(ref('Reverted')), ...errors },
  },
});

export function adminOpenApi(): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Junction admin API',
      version: '1',
      description: 'Keys, limits, policy, cache and usage of a Junction gateway. See docs/admin-api.md.',
    },
    security: [{ adminToken: [] }],
    paths: {
      '/admin/health': {
        get: {
          summary: 'Providers, targets and governance backends',
          responses: { '200': json({ type: 'object' }), ...errors },
        },
      },
      '/admin/routes': {
        get: {
          summary: 'Aliases with their targets and routing state',
          responses: { '200': json({ type: 'object' }), ...errors },
        },
      },
      '/admin/metrics': {
        get: {
          summary: 'Prometheus metrics (text format)',
          responses: {
            '200': { description: 'OK', content: { 'text/plain': { schema: { type: 'string' } } } },
            ...errors,
          },
        },
      },
      '/admin/openapi.json': {
        get: { summary: 'This document', responses: { '200': json({ type: 'object' }), ...errors } },
      },
      '/admin/keys': {
        get: {
          summary: 'Every key (config and admin-created)',
          responses: {
            '200': json({ type: 'object', properties: { keys: { type: 'array', items: ref('Key') } } }),
            ...errors,
          },
        },
        post: {
          summary: 'Create a key; the secret is in this response only',
          requestBody: body(ref('KeyCreate')),
          responses: {
            '201': json(ref('KeyWithSecret'), 'Created'),
            '409': json(ref('Error'), 'Name taken'),
            ...errors,
          },
        },
      },
      '/admin/keys/{name}': {
        parameters: [nameParam],
        get: {
          summary: "A key, with its budget's current spend",
          responses: { '200': json(ref('Key')), ...errors },
        },
        patch: {
          summary: 'Update limits',
          requestBody: body(ref('KeyUpdate')),
          responses: { '200': json(ref('Key')), ...errors },
        },
        delete: { summary: 'Revoke', responses: { '200': json(ref('Key')), ...errors } },
      },
      '/admin/keys/{name}/rotate': {
        parameters: [nameParam],
        post: {
          summary:
            'Give an admin-created key a new secret (same name, limits, budget and spend); the secret is in this response only',
          requestBody: { required: false, content: { 'application/json': { schema: ref('KeyRotate') } } },
          responses: {
            '200': json(ref('KeyWithSecret')),
            '409': json(
              ref('Error'),
              'A config key (code config_key), or a grace period for a revoked key (key_revoked)',
            ),
            ...errors,
          },
        },
      },
      '/admin/keys/{name}/restore': {
        parameters: [nameParam],
        post: {
          summary: 'Take back a revocation: the key answers to its current secret again',
          responses: { '200': json(ref('Key')), ...errors },
        },
      },
      '/admin/policy/rate-limit': policyPath('global rate limit', 'RateLimitPolicy', 'RateLimitUpdate'),
      '/admin/policy/system-prompt': policyPath('global system prompt', 'SystemPrompt', 'SystemPrompt'),
      '/admin/policy/guardrails': policyPath('guardrails', 'Guardrails', 'Guardrails'),
      '/admin/cache': {
        get: {
          summary: 'Cache entries',
          parameters: [
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000 } },
          ],
          responses: { '200': json(ref('CacheEntries')), ...errors },
        },
        delete: {
          summary: 'Clear the cache',
          responses: {
            '200': json({ type: 'object', properties: { cleared: { type: 'integer' } } }),
            ...errors,
          },
        },
      },
      '/admin/usage': {
        get: {
          summary: 'Usage aggregated by time bucket',
          parameters: [
            {
              name: 'from',
              in: 'query',
              schema: { type: 'string' },
              description: 'ISO date or epoch ms; default 24 h before `to`',
            },
            {
              name: 'to',
              in: 'query',
              schema: { type: 'string' },
              description: 'ISO date or epoch ms; default now',
            },
            { name: 'bucket', in: 'query', schema: { enum: ['hour', 'day'] } },
            {
              name: 'group_by',
              in: 'query',
              schema: { type: 'string' },
              description: 'Comma list of key, model, provider',
            },
            { name: 'key', in: 'query', schema: { type: 'string' } },
            { name: 'model', in: 'query', schema: { type: 'string' } },
            { name: 'provider', in: 'query', schema: { type: 'string' } },
          ],
          responses: { '200': json(ref('Usage')), ...errors },
        },
      },
      '/admin/usage/stats': {
        get: {
          summary: "The usage log's queue: written, dropped, queued",
          responses: { '200': json(ref('UsageStats')), ...errors },
        },
      },
    },
    components: {
      securitySchemes: { adminToken: { type: 'http', scheme: 'bearer' } },
      schemas: SCHEMAS,
    },
  };
}
