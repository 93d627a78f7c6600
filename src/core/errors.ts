/**
 * One error family. Providers classify upstream failures once; the router decides retry / failover from
 * `failureClass`; each dialect renders the error in its own envelope once.
 */
export type FailureClass =
  | 'auth'
  | 'permission'
  | 'invalid_request'
  | 'not_found'
  | 'payload_too_large'
  | 'rate_limit'
  | 'quota'
  | 'overloaded'
  | 'transient'
  | 'timeout'
  | 'network'
  | 'content_filter'
  | 'unsupported'
  | 'internal';

const DEFAULT_STATUS: Record<FailureClass, number> = {
  auth: 401,
  permission: 403,
  invalid_request: 400,
  not_found: 404,
  payload_too_large: 413,
  rate_limit: 429,
  quota: 429,
  overloaded: 503,
  transient: 502,
  timeout: 504,
  network: 502,
  content_filter: 400,
  unsupported: 400,
  internal: 500,
};

const RETRYABLE: ReadonlySet<FailureClass> = new Set([
  'rate_limit',
  'overloaded',
  'transient',
  'timeout',
  'network',
]);

export interface GatewayErrorOptions {
  status?: number;
  /** The request field at fault, for invalid_request errors ("messages[2].content"). */
  param?: string;
  /** A machine-readable code (OpenAI `code`), e.g. "model_not_found". */
  code?: string;
  retryAfterMs?: number;
  provider?: string;
  upstreamStatus?: number;
  /** The upstream error body, already redacted of secrets. Logged, never sent to the client verbatim. */
  upstreamBody?: string;
  cause?: unknown;
}

export class GatewayError extends Error {
  readonly failureClass: FailureClass;
  readonly status: number;
  readonly retryable: boolean;
  readonly param?: string;
  readonly code?: string;
  readonly retryAfterMs?: number;
  readonly provider?: string;
  readonly upstreamStatus?: number;
  readonly upstreamBody?: string;

  constructor(failureClass: FailureClass, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.failureClass = failureClass;
    this.status = options.status ?? DEFAULT_STATUS[failureClass];
    this.retryable = RETRYABLE.has(failureClass);
    this.param = options.param;
    this.code = options.code;
    this.retryAfterMs = options.retryAfterMs;
    this.provider = options.provider;
    this.upstreamStatus = options.upstreamStatus;
    this.upstreamBody = options.upstreamBody;
  }
}

export function invalidRequest(message: string, param?: string): GatewayError {
  return new GatewayError('invalid_request', message, { param });
}

/** Wraps anything thrown into a GatewayError; unknown errors become `internal` without leaking their text. */
export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  return new GatewayError('internal', 'Internal gateway error', { cause: error });
}

/** Classifies an upstream HTTP status when the provider's body gives nothing more specific. */
export function classifyStatus(status: number): FailureClass {
  if (status === 401) return 'auth';
  if (status === 403) return 'permission';
  if (status === 404) return 'not_found';
  if (status === 408) return 'timeout';
  if (status === 413) return 'payload_too_large';
  if (status === 429) return 'rate_limit';
  if (status === 503 || status === 529) return 'overloaded';
  if (status === 504) return 'timeout';
  if (status >= 500) return 'transient';
  if (status >= 400) return 'invalid_request';
  return 'internal';
}

/** Parses `retry-after-ms` or `retry-after` (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(
  headers: Record<string, string | string[] | undefined>,
  now = Date.now(),
): number | undefined {
  const first = (name: string): string | undefined => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const ms = first('retry-after-ms');
  if (ms !== undefined && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const after = first('retry-after');
  if (after === undefined || after.trim() === '') return undefined;
  const seconds = Number(after);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Removes anything that looks like a credential from text we may log. */
export function redactSecrets(text: string): string {
  return text
    .replace(/\b(sk|pk|rk)-[A-Za-z0-9_-]{8,}/g, '$1-***')
    .replace(/\bAIza[0-9A-Za-z_-]{20,}/g, 'AIza***')
    .replace(/(bearer\s+)[A-Za-z0-9._~+/-]{8,}=*/gi, '$1***')
    .replace(/([?&]key=)[^&\s"]+/g, '$1***');
}

/** The same error naming another field, or none: a surface renames a field in its own client's terms. */
export function withParam(error: GatewayError, param: string | undefined): GatewayError {
  return new GatewayError(error.failureClass, error.message, {
    status: error.status,
    param,
    code: error.code,
    retryAfterMs: error.retryAfterMs,
    provider: error.provider,
    upstreamStatus: error.upstreamStatus,
    upstreamBody: error.upstreamBody,
    cause: error.cause,
  });
}
