/**
 * Classifies a failure while decoding an accepted stream for the adapters that tell the attempt timeout
 * apart from the client going away by the call's cancellation.
 */
import { GatewayError } from '../../core/errors.js';
import { classifyTransportError } from './upstream-http.js';

/**
 * A decoder's own GatewayError as is. Otherwise the body broke mid-stream: a socket reset, or an abort that
 * the client did not ask for, which can only be the attempt timeout.
 */
export function streamBreakError(
  error: unknown,
  provider: string,
  cancel: { readonly aborted: boolean },
): GatewayError {
  if (error instanceof GatewayError) return error;
  // The upstream call's own timer aborts the attempt's cancellation with a TimeoutError.
  const timedOut =
    (error instanceof Error && error.name === 'TimeoutError') || (isAbort(error) && !cancel.aborted);
  return classifyTransportError(error, provider, timedOut);
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}
