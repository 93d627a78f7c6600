/**
 * The cache key: a sha256 over the normalized request — model, messages, tools and the parameters
 * that shape the answer — with object keys sorted so field order never matters. `stream`, `user` and
 * `metadata` do not change the answer and are left out; the caller's key name is in only per_key.
 */
import { createHash } from 'node:crypto';
import type { CanonicalRequest } from '../../core/canonical-request.js';

export function cacheKey(request: CanonicalRequest, keyName?: string): string {
  const normalized = {
    model: request.model,
    messages: request.messages,
    tools: request.tools,
    toolChoice: request.toolChoice,
    parallelToolCalls: request.parallelToolCalls,
    responseFormat: request.responseFormat,
    maxOutputTokens: request.maxOutputTokens,
    temperature: request.temperature,
    topP: request.topP,
    topK: request.topK,
    stop: request.stop,
    seed: request.seed,
    presencePenalty: request.presencePenalty,
    frequencyPenalty: request.frequencyPenalty,
    reasoning: request.reasoning,
    ...(keyName === undefined ? {} : { keyName }),
  };
  return createHash('sha256').update(stableJson(normalized)).digest('hex');
}

export function stableJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, inner]) => inner !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${stableJson(inner)}`).join(',')}}`;
}
