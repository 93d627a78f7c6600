/**
 * What a target cannot embed is refused before the call, with a 400 naming the provider and the field:
 * a provider type without embeddings, a model it has no embeddings request for, token-array inputs, or
 * `dimensions` the model cannot shorten to. The router skips such a target for the next one.
 */
import type { EmbeddingRequest } from '../core/embeddings.js';
import { GatewayError } from '../core/errors.js';
import type { ProviderAdapter } from '../providers/provider-adapter.js';
import { canEmbed } from '../providers/provider-adapter.js';

export function checkEmbeddingSupport(
  provider: ProviderAdapter,
  request: EmbeddingRequest,
  upstreamModel: string,
): void {
  const named = `provider ${provider.name} (${provider.type})`;
  if (!canEmbed(provider)) {
    throw new GatewayError('unsupported', `Embeddings are not supported by ${named}`, {
      param: 'model',
      code: 'unsupported_model',
    });
  }
  provider.embeddings.requireModel?.(upstreamModel);
  if (request.input.kind === 'tokens' && !provider.embeddings.tokens) {
    throw new GatewayError(
      'unsupported',
      `Token-array input is not supported by ${named}; send the text instead`,
      { param: 'input', code: 'unsupported_parameter' },
    );
  }
  if (request.dimensions !== undefined && !provider.embeddings.dimensions(upstreamModel)) {
    throw new GatewayError(
      'unsupported',
      `dimensions is not supported by ${named} for model ${upstreamModel}`,
      { param: 'dimensions', code: 'unsupported_parameter' },
    );
  }
}
