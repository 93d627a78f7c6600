/**
 * Per-alias defaults (in OpenAI Chat Completions field names) fill what the client did not set; the client
 * always wins. The canonical request gets them for translated paths, and the body each dialect relays gets
 * them in that dialect's own field names. An Anthropic body's `reasoning_effort` is the exception: its terms
 * (a thinking budget, or adaptive thinking and an output effort) depend on the Claude model, so it is held
 * in `relayDefaults` and the Anthropic provider writes it once the route has picked the model.
 */
import type { CanonicalRequest } from '../core/canonical-request.js';
import { penaltyOf } from '../core/canonical-request.js';
import { isEffort, reasoningForRung } from '../core/reasoning-effort.js';
import type { DecodedRequest } from '../dialects/dialect.js';
import type { WireDialect } from '../providers/provider-adapter.js';

type Setter = (request: CanonicalRequest, value: unknown) => void;

const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

const CANONICAL_SETTERS: Record<string, Setter> = {
  temperature: (r, v) => {
    r.temperature ??= num(v);
  },
  top_p: (r, v) => {
    r.topP ??= num(v);
  },
  top_k: (r, v) => {
    r.topK ??= num(v);
  },
  max_tokens: (r, v) => {
    r.maxOutputTokens ??= num(v);
  },
  max_completion_tokens: (r, v) => {
    r.maxOutputTokens ??= num(v);
  },
  seed: (r, v) => {
    r.seed ??= num(v);
  },
  stop: (r, v) => {
    if (r.stop === undefined && (typeof v === 'string' || Array.isArray(v)))
      r.stop = typeof v === 'string' ? [v] : v.map(String);
  },
  reasoning_effort: (r, v) => {
    if (r.reasoning === undefined && isEffort(v)) r.reasoning = reasoningForRung(v);
  },
  // A default 0 asks for nothing, as a client's own 0 does.
  presence_penalty: (r, v) => {
    r.presencePenalty ??= penaltyOf(v);
  },
  frequency_penalty: (r, v) => {
    r.frequencyPenalty ??= penaltyOf(v);
  },
};

/** Default names (OpenAI's) as spelled in an Anthropic Messages body; unlisted ones have no equivalent. */
const ANTHROPIC_FIELDS: Record<string, string> = {
  temperature: 'temperature',
  top_p: 'top_p',
  top_k: 'top_k',
  stop: 'stop_sequences',
};

/**
 * Default names (OpenAI's) as spelled in a Responses create body (CreateResponse in the OpenAPI spec); the
 * output limit is `max_output_tokens` there, `reasoning_effort` is `reasoning.effort` (below), and the
 * unlisted ones (seed, stop, top_k, ...) have no equivalent.
 */
const RESPONSES_FIELDS: Record<string, string> = {
  temperature: 'temperature',
  top_p: 'top_p',
  top_logprobs: 'top_logprobs',
  max_tokens: 'max_output_tokens',
  max_completion_tokens: 'max_output_tokens',
  parallel_tool_calls: 'parallel_tool_calls',
  service_tier: 'service_tier',
  prompt_cache_key: 'prompt_cache_key',
  safety_identifier: 'safety_identifier',
  user: 'user',
};

export function applyAliasDefaults(
  decoded: DecodedRequest,
  defaults: Record<string, unknown>,
  dialect: WireDialect,
): void {
  // The client said something about reasoning (an Anthropic `thinking` or `output_config.effort` too).
  const clientReasoning = decoded.canonical.reasoning !== undefined;
  for (const [field, value] of Object.entries(defaults)) {
    // An embeddings default (applyEmbeddingDefaults), never a generation field.
    if (field === 'input_type') continue;
    CANONICAL_SETTERS[field]?.(decoded.canonical, value);
    // The fast path forwards the body itself, so bodies get the same defaults in their own field names.
    if (dialect === 'openai-chat' && decoded.body[field] == null && !setsMaxTokens(decoded.body, field)) {
      decoded.body[field] = value;
    } else if (dialect === 'anthropic-messages') {
      if (field === 'reasoning_effort' && !clientReasoning && isEffort(value))
        decoded.relayDefaults = { ...decoded.relayDefaults, reasoning: reasoningForRung(value) };
      const name = ANTHROPIC_FIELDS[field];
      if (name !== undefined && decoded.body[name] == null)
        decoded.body[name] = field === 'stop' && typeof value === 'string' ? [value] : value;
    } else if (dialect === 'openai-responses') {
      fillResponsesField(decoded.body, field, value);
      // The parsed request is what a Response echoes (temperature, max_output_tokens, ...) and what a
      // continued turn rebuilds its canonical request from, so it gets them too.
      const request = (decoded as { request?: Record<string, unknown> }).request;
      if (request !== undefined && request !== decoded.body) fillResponsesField(request, field, value);
    }
  }
}

function fillResponsesField(body: Record<string, unknown>, field: string, value: unknown): void {
  if (field === 'reasoning_effort') {
    const reasoning = body.reasoning;
    if (!isEffort(value)) return;
    if (reasoning == null) body.reasoning = { effort: value };
    else if (typeof reasoning === 'object' && (reasoning as Record<string, unknown>).effort == null)
      body.reasoning = { ...reasoning, effort: value };
    return;
  }
  const name = RESPONSES_FIELDS[field];
  if (name !== undefined && body[name] == null) body[name] = value;
}

/** max_tokens and max_completion_tokens are one setting: a default for either yields to the other. */
function setsMaxTokens(body: Record<string, unknown>, field: string): boolean {
  if (field !== 'max_tokens' && field !== 'max_completion_tokens') return false;
  return body.max_tokens != null || body.max_completion_tokens != null;
}
