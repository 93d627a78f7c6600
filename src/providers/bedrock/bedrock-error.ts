/**
 * Bedrock failures: HTTP error answers (`{message}` body, the exception name in the `x-amzn-errortype`
 * header or a `__type` field) and the exceptions a ConverseStream sends mid-stream as `:message-type`
 * `exception` frames. Both name the same exceptions, so one table classifies them.
 */
import { z } from 'zod';
import type { FailureClass } from '../../core/errors.js';
import { GatewayError, redactSecrets } from '../../core/errors.js';
import type { ParsedUpstreamError } from '../shared/upstream-error.js';
import { upstreamErrorFromText } from '../shared/upstream-error.js';
import type { UpstreamResponse } from '../shared/upstream-http.js';

/** Keyed by the exception name in lower case: HTTP errors say `ThrottlingException`, streams `throttlingException`. */
const EXCEPTION_CLASSES: Record<string, FailureClass> = {
  throttlingexception: 'rate_limit',
  servicequotaexceededexception: 'quota',
  serviceunavailableexception: 'overloaded',
  modelnotreadyexception: 'overloaded',
  validationexception: 'invalid_request',
  modelstreamerrorexception: 'transient',
  internalserverexception: 'transient',
  modelerrorexception: 'transient',
  modeltimeoutexception: 'timeout',
  accessdeniedexception: 'permission',
  resourcenotfoundexception: 'not_found',
  unrecognizedclientexception: 'auth',
  invalidsignatureexception: 'auth',
  incompletesignatureexception: 'auth',
  expiredtokenexception: 'auth',
  missingauthenticationtokenexception: 'auth',
};

/**
 * The bare exception name from the forms AWS uses: `ValidationException`,
 * `ValidationException:http://internal.amazon.com/coral/...` and `com.amazon.coral.service#ValidationException`.
 */
export function bedrockExceptionName(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const name = raw.split(':')[0]!.split('#').at(-1)!.trim();
  return name === '' ? undefined : name;
}

export function bedrockFailureClass(exception: string | undefined): FailureClass | undefined {
  const name = bedrockExceptionName(exception);
  return name === undefined ? undefined : EXCEPTION_CLASSES[name.toLowerCase()];
}

const errorBodySchema = z.looseObject({
  message: z.string().optional(),
  Message: z.string().optional(),
  __type: z.string().optional(),
  code: z.string().optional(),
});

/** Never throws: a body that is not Bedrock's shape yields what the header says, or `{}`. */
export function parseBedrockError(body: unknown, errorTypeHeader?: string): ParsedUpstreamError {
  const parsed = errorBodySchema.safeParse(body);
  const data = parsed.success ? parsed.data : {};
  const result: ParsedUpstreamError = {};
  const message = data.message ?? data.Message;
  if (message !== undefined) result.message = message;
  const name = bedrockExceptionName(errorTypeHeader ?? data.__type ?? data.code);
  if (name !== undefined) result.code = name;
  const failureClass = bedrockFailureClass(name);
  if (failureClass !== undefined) result.failureClass = failureClass;
  return result;
}

/** A non-2xx answer from Converse / ConverseStream as a classified GatewayError. */
export async function bedrockHttpError(provider: string, response: UpstreamResponse): Promise<GatewayError> {
  const text = await response.body.text().catch(() => '');
  const header = response.headers['x-amzn-errortype'];
  const errorType = Array.isArray(header) ? header[0] : header;
  return upstreamErrorFromText(provider, response.status, response.headers, text, (body) =>
    parseBedrockError(body, errorType),
  );
}

/** An `exception` frame in a ConverseStream: `:exception-type` names it, the payload is `{message}`. */
export function bedrockStreamException(
  provider: string,
  exceptionType: string,
  payload: string,
): GatewayError {
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    body = undefined;
  }
  const parsed = parseBedrockError(body, exceptionType);
  const detail = parsed.message ? redactSecrets(parsed.message) : exceptionType;
  const failureClass = parsed.failureClass ?? 'transient';
  return new GatewayError(failureClass, `${provider}: ${detail}`, {
    // As for HTTP errors: a refused AWS identity is the gateway's misconfiguration, not the client's.
    ...(failureClass === 'auth' || failureClass === 'permission' ? { status: 502 } : {}),
    provider,
    code: parsed.code ?? exceptionType,
    upstreamBody: redactSecrets(payload.slice(0, 4096)),
  });
}
