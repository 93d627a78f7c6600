/**
 * The 400 for a request field a provider has no counterpart for, worded like the router's refusal of
 * fields Junction does not model ("logit_bias is not supported by provider ..."): refused, never dropped.
 */
import type { ProviderRequest } from '../../core/canonical-request.js';
import { GatewayError } from '../../core/errors.js';

export function unsupportedParameter(param: string, providerName: string, why: string): GatewayError {
  return new GatewayError('unsupported', `${param} is not supported by provider ${providerName}: ${why}`, {
    param,
    code: 'unsupported_parameter',
    provider: providerName,
  });
}

/** For an API with no seed and no penalties (`api` names it, e.g. "the Anthropic Messages API"). */
export function refuseSeedAndPenalties(
  request: Pick<ProviderRequest, 'seed' | 'presencePenalty' | 'frequencyPenalty'>,
  providerName: string,
  api: string,
): void {
  if (request.seed !== undefined) throw unsupportedParameter('seed', providerName, `${api} has no seed`);
  if (request.presencePenalty !== undefined)
    throw unsupportedParameter('presence_penalty', providerName, `${api} has no penalties`);
  if (request.frequencyPenalty !== undefined)
    throw unsupportedParameter('frequency_penalty', providerName, `${api} has no penalties`);
}
