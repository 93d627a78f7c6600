/**
 * A 429 that carries the RateLimit-* and Retry-After headers, so the HTTP layer can send them with
 * the error body of whichever dialect the client speaks.
 */
import { GatewayError, type GatewayErrorOptions } from '../../core/errors.js';
import type { RateLimitHeaders } from './rate-limit-headers.js';

export class LimitExceededError extends GatewayError {
  readonly headers: RateLimitHeaders;

  constructor(
    failureClass: 'rate_limit' | 'quota',
    message: string,
    headers: RateLimitHeaders,
    options: GatewayErrorOptions = {},
  ) {
    super(failureClass, message, options);
    this.name = 'LimitExceededError';
    this.headers = headers;
  }
}
