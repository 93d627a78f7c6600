/**
 * Refuses, with a clear 400, what a provider cannot do, instead of silently dropping it.
 */
import type { ProviderRequest } from '../core/canonical-request.js';
import { GatewayError } from '../core/errors.js';
import type { ProviderAdapter, WireDialect } from '../providers/provider-adapter.js';
import { capabilityParams } from './capability-params.js';

/** `dialect` is the client's: the 400 names the field where that client put it. */
export function checkCapabilities(
  provider: ProviderAdapter,
  request: ProviderRequest,
  dialect: WireDialect,
): void {
  const { capabilities } = provider;
  const params = capabilityParams(dialect);
  const refuse = (what: string, param: string): never => {
    throw new GatewayError(
      'unsupported',
      `${what} is not supported by provider ${provider.name} (${provider.type})`,
      {
        param,
        code: 'unsupported_parameter',
      },
    );
  };
  if (!capabilities.tools && request.tools && request.tools.length > 0) refuse('Tool calling', params.tools);
  if (!capabilities.jsonSchema && request.responseFormat?.type === 'json_schema')
    refuse('JSON schema output', params.jsonSchema);
  // Only an Anthropic client means "continue this" by a trailing assistant message (a prefill); to OpenAI-style
  // clients it is history, which every provider takes. Sent as history, a prefill would get a new answer
  // instead of the continuation asked for.
  if (
    dialect === 'anthropic-messages' &&
    !capabilities.assistantPrefill &&
    request.messages.at(-1)?.role === 'assistant'
  )
    refuse('Continuing a trailing assistant message (prefill)', params.messages);
  for (const message of request.messages) {
    for (const part of message.content) {
      if (part.type === 'image' && !capabilities.vision) refuse('Image input', params.messages);
      if (part.type === 'file' && !capabilities.documents) refuse('Document input', params.messages);
    }
  }
}
