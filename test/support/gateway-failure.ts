import { expect } from 'vitest';
import { GatewayError } from '../../src/core/errors.js';

/**
 * The GatewayError a call rejects with (a promise, or a function that starts the call). The test fails
 * when the call succeeds or rejects with anything else.
 */
export async function gatewayFailure(
  call: Promise<unknown> | (() => Promise<unknown>),
): Promise<GatewayError> {
  try {
    await (typeof call === 'function' ? call() : call);
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected a GatewayError');
}
