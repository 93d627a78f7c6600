/**
 * Turns a non-2xx upstream answer into a classified GatewayError. Each provider passes a function that
 * reads its own error body; everything else (status mapping, Retry-After, redaction) is shared.
 */

import type { FailureClass } from '../../core/errors.js';
import { classifyStatus, GatewayError, parseRetryAfter, redactSecrets } from '../../core/errors.js';
import type { UpstreamResponse } from './upstream-http.js';

export interface ParsedUpstreamError {
  message?: string;
  /** A class the body makes clear (e.g. Anthropic overloaded_error, Gemini RESOURCE_EXHAUSTED). */
  failureClass?: FailureClass;
  code?: string;
  param?: string;
}

export async function upstreamError(
  provider: string,
  response: UpstreamResponse,
  parse: (body: unknown) => ParsedUpstreamError,
): Promise<GatewayError> {
  const text = await response.body.text().catch(() => '');
  return upstreamErrorFromText(provider, response.status, response.headers, text, parse);
}

export function upstreamErrorFromText(
  provider: string,
  status: number,
  headers: UpstreamResponse['headers'],
  text: string,
  parse: (body: unknown) => ParsedUpstreamError,
): GatewayError {
  let parsed: ParsedUpstreamError = {};
  try {
    parsed = parse(JSON.parse(text));
  } catch {
    parsed = {};
  }
  const failureClass = parsed.failureClass ?? classifyStatus(status);
  const detail = parsed.message ? redactSecrets(parsed.message) : `HTTP ${status}`;
  // Auth failures are about the gateway's provider key, not the client's: the client sees a 502-class
  // message that names the provider, never the key.
  const message = `${provider}: ${detail}`;
  return new GatewayError(failureClass, message, {
    status: statusForClient(failureClass, status),
    // A generation call names one model, so an upstream's bare 404 is that model being unknown there.
    code: parsed.code ?? (failureClass === 'not_found' ? 'model_not_found' : undefined),
    param: parsed.param,
    retryAfterMs: parseRetryAfter(headers),
    provider,
    upstreamStatus: status,
    upstreamBody: redactSecrets(text.slice(0, 4096)),
  });
}

/**
 * The status the client gets. Client-side problems keep the upstream status (400, 404, 413, 422, 429);
 * a rejected provider key is the gateway's misconfiguration, so the client sees 502 rather than 401.
 */
function statusForClient(failureClass: FailureClass, upstreamStatus: number): number {
  switch (failureClass) {
    case 'auth':
    case 'permission':
      return 502;
    case 'overloaded':
      return upstreamStatus === 529 ? 529 : 503;
    default:
      return upstreamStatus >= 400 && upstreamStatus < 600 ? upstreamStatus : 502;
  }
}
