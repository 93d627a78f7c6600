/**
 * Gemini error bodies (`{error: {code, message, status, details}}`, Google's RPC status) -> GatewayError.
 */
import { z } from 'zod';
import type { FailureClass } from '../../core/errors.js';
import { GatewayError } from '../../core/errors.js';
import type { ParsedUpstreamError } from '../shared/upstream-error.js';
import { upstreamErrorFromText } from '../shared/upstream-error.js';
import type { UpstreamResponse } from '../shared/upstream-http.js';

const STATUS_CLASS: Record<string, FailureClass> = {
  RESOURCE_EXHAUSTED: 'rate_limit',
  UNAVAILABLE: 'overloaded',
  INVALID_ARGUMENT: 'invalid_request',
  FAILED_PRECONDITION: 'invalid_request',
  OUT_OF_RANGE: 'invalid_request',
  PERMISSION_DENIED: 'permission',
  UNAUTHENTICATED: 'auth',
  NOT_FOUND: 'not_found',
  DEADLINE_EXCEEDED: 'timeout',
  INTERNAL: 'transient',
  UNIMPLEMENTED: 'unsupported',
};

const errorBodySchema = z.looseObject({
  error: z.looseObject({
    code: z.number().optional().catch(undefined),
    message: z.string().optional().catch(undefined),
    status: z.string().optional().catch(undefined),
    details: z.array(z.unknown()).optional().catch(undefined),
  }),
});

type GeminiErrorBody = z.infer<typeof errorBodySchema>;

/** Reads the body; the non-SSE stream endpoint wraps it in an array, so the first element is taken. */
function readErrorBody(body: unknown): GeminiErrorBody['error'] | undefined {
  const candidate = Array.isArray(body) ? body[0] : body;
  const parsed = errorBodySchema.safeParse(candidate);
  return parsed.success ? parsed.data.error : undefined;
}

export function parseGeminiError(body: unknown): ParsedUpstreamError {
  const error = readErrorBody(body);
  if (!error) return {};
  const parsed: ParsedUpstreamError = {};
  if (error.message !== undefined) parsed.message = error.message;
  if (error.status !== undefined) {
    parsed.code = error.status;
    const failureClass = STATUS_CLASS[error.status];
    if (failureClass) parsed.failureClass = failureClass;
  }
  return parsed;
}

const retryInfoSchema = z.looseObject({ '@type': z.string(), retryDelay: z.string() });

/** The `google.rpc.RetryInfo` delay in milliseconds, when the body has one (Gemini 429s do). */
export function geminiRetryDelayMs(body: unknown): number | undefined {
  for (const detail of readErrorBody(body)?.details ?? []) {
    const info = retryInfoSchema.safeParse(detail);
    if (info.success && info.data['@type'].endsWith('google.rpc.RetryInfo'))
      return parseDuration(info.data.retryDelay);
  }
  return undefined;
}

/** A protobuf JSON Duration ("34.4s", "12s", "0.5s") in whole milliseconds. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)s$/.exec(text.trim());
  return match ? Math.ceil(Number(match[1]) * 1000) : undefined;
}

export async function geminiUpstreamError(
  provider: string,
  response: UpstreamResponse,
): Promise<GatewayError> {
  const text = await response.body.text().catch(() => '');
  return geminiErrorFromText(provider, response.status, response.headers, text);
}

/** Classifies a non-2xx answer; a RetryInfo delay fills retryAfterMs when no Retry-After header did. */
export function geminiErrorFromText(
  provider: string,
  status: number,
  headers: UpstreamResponse['headers'],
  text: string,
): GatewayError {
  const error = upstreamErrorFromText(provider, status, headers, text, parseGeminiError);
  if (error.retryAfterMs !== undefined) return error;
  let delay: number | undefined;
  try {
    delay = geminiRetryDelayMs(JSON.parse(text));
  } catch {
    delay = undefined;
  }
  if (delay === undefined) return error;
  return new GatewayError(error.failureClass, error.message, {
    status: error.status,
    param: error.param,
    code: error.code,
    retryAfterMs: delay,
    provider: error.provider,
    upstreamStatus: error.upstreamStatus,
    upstreamBody: error.upstreamBody,
  });
}

/** An `error` object that arrives inside a 200 stream: its own `code` stands in for the HTTP status. */
export function geminiStreamError(provider: string, body: unknown): GatewayError {
  const status = readErrorBody(body)?.code;
  return geminiErrorFromText(
    provider,
    status !== undefined && status >= 400 ? status : 500,
    {},
    JSON.stringify(body),
  );
}
