/**
 * Ollama error bodies are `{"error": "..."}`, over HTTP (404 for an unknown model) and as a line of a
 * stream that fails after it started.
 */
import { z } from 'zod';
import type { ParsedUpstreamError } from '../shared/upstream-error.js';

const errorBodySchema = z.looseObject({ error: z.string() });

export function parseOllamaError(body: unknown): ParsedUpstreamError {
  const parsed = errorBodySchema.safeParse(body);
  return parsed.success ? { message: parsed.data.error } : {};
}
