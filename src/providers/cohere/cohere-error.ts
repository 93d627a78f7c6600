/**
 * Cohere error bodies are `{id?, message}`; the HTTP status carries the class. Cohere also uses 498 for an
 * invalid API token and 499 for a request it saw cancelled.
 */
import { z } from 'zod';
import type { FailureClass } from '../../core/errors.js';
import type { ParsedUpstreamError } from '../shared/upstream-error.js';

const errorBodySchema = z.looseObject({ message: z.string() });

export function parseCohereError(body: unknown): ParsedUpstreamError {
  const parsed = errorBodySchema.safeParse(body);
  return parsed.success ? { message: parsed.data.message } : {};
}

/** Statuses Cohere gives a meaning the shared classification does not know. */
export function cohereFailureClass(status: number): FailureClass | undefined {
  if (status === 498) return 'auth';
  if (status === 499) return 'transient';
  return undefined;
}

/** The body parser for one response status (498 is not a 4xx the shared mapping would call auth). */
export function cohereErrorParser(status: number): (body: unknown) => ParsedUpstreamError {
  const failureClass = cohereFailureClass(status);
  return (body) => ({ ...parseCohereError(body), ...(failureClass ? { failureClass } : {}) });
}
