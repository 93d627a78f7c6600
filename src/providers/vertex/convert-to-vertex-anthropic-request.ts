/**
 * Canonical request -> the Messages body Vertex's Anthropic publisher takes: Anthropic's own body, with
 * the model named by the URL instead of the body and the API version in the body instead of a header.
 */
import type { ProviderRequest } from '../../core/canonical-request.js';
import type { AnthropicMessagesBody } from '../anthropic/convert-to-anthropic-request.js';
import { convertToAnthropicRequest } from '../anthropic/convert-to-anthropic-request.js';

export const VERTEX_ANTHROPIC_VERSION = 'vertex-2023-10-16';

export type VertexAnthropicBody = Omit<AnthropicMessagesBody, 'model'> & { anthropic_version: string };

export function convertToVertexAnthropicRequest(
  request: ProviderRequest,
  providerName: string,
  warn?: (message: string) => void,
): VertexAnthropicBody {
  const { model: _model, ...body } = convertToAnthropicRequest(request, providerName, warn);
  return { anthropic_version: VERTEX_ANTHROPIC_VERSION, ...body };
}
