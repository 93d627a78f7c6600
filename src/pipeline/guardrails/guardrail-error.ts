/** The client-facing error for a guardrail hit: 400, with the rule named so the caller knows why. */
import { GatewayError } from '../../core/errors.js';

export function guardrailError(where: 'input' | 'output', rule: string): GatewayError {
  const what = where === 'input' ? 'Request' : 'Response';
  return new GatewayError('content_filter', `${what} blocked by guardrail rule "${rule}"`, {
    code: 'guardrail_violation',
    param: rule,
  });
}
