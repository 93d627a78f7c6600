/**
 * OpenRouter-style `models: [...]` in the body: a client-chosen fallback list. It is a gateway field,
 * so it is taken out of the body before anything is forwarded upstream.
 */
import { invalidRequest } from '../core/errors.js';
import type { DecodedRequest } from '../dialects/dialect.js';

export function takeFallbackModels(decoded: DecodedRequest): string[] | undefined {
  const value = decoded.body.models;
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((entry) => typeof entry === 'string' && entry !== '')) {
    throw invalidRequest('models must be an array of model names', 'models');
  }
  delete decoded.body.models;
  decoded.unmodeled = decoded.unmodeled.filter((field) => field !== 'models');
  return value as string[];
}
