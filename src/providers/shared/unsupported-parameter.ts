/**
 * The 400 for a request field a provider has no counterpart for, worded like the router's refusal of
 * fields Junction does not model ("logit_bias is not supported by provider ..."): refused, never dropped.
 */
import { GatewayError } from '../../core/errors.js';

export function unsupportedParameter(param: string, providerName: string, why: string): GatewayError {
  return new GatewayError('unsupported', `${param} is not supported by provider ${providerName}: ${why}`, {
    param,
    code: 'unsupported_parameter',
    provider: providerName,
  });
}
