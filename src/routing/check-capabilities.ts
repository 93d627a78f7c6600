/**
 * Refuses, with a clear 400, what a provider cannot do, instead of silently dropping it. The param names
 * the canonical field or part; the router has the client's surface name it as its client sent it.
 */
import type { ProviderRequest } from '../core/canonical-request.js';
import { GatewayError } from '../core/errors.js';
import type { ProviderAdapter, WireDialect } from '../providers/provider-adapter.js';

/** `dialect` is the client's: what a trailing assistant message means depends on it. */
export function checkCapabilities(
  provider: ProviderAdapter,
  request: ProviderRequest,
  dialect: WireDialect,
): void {
  const { capabilities } = provider;
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
  if (!capabilities.tools && request.tools && request.tools.length > 0) refuse('Tool calling', 'tools');
  if (!capabilities.jsonSchema && request.responseFormat?.type === 'json_schema')
    refuse('JSON schema output', 'response_format');
  // Only an Anthropic client means "continue this" by a trailing assistant message (a prefill); to OpenAI-style
  // clients it is history, which every provider takes. Sent as history, a prefill would get a new answer
  // instead of the continuation asked for.
  const last = request.messages.length - 1;
  if (
    dialect === 'anthropic-messages' &&
    !capabilities.assistantPrefill &&
    request.messages[last]?.role === 'assistant'
  )
    refuse('Continuing a trailing assistant message (prefill)', `messages[${last}]`);
  for (const [i, message] of request.messages.entries()) {
    for (const [j, part] of message.content.entries()) {
      if (part.type === 'image' && !capabilities.vision)
        refuse('Image input', `messages[${i}].content[${j}]`);
      if (part.type === 'file' && !capabilities.documents)
        refuse('Document input', `messages[${i}].content[${j}]`);
    }
  }
}
