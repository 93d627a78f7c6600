/**
 * `POST /v1/messages/count_tokens`: exact when the first target is an Anthropic upstream (it is asked),
 * a documented estimate otherwise (see docs/compatibility.md).
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import { Cancellation } from '../core/cancellation.js';
import { toGatewayError } from '../core/errors.js';
import { decodeCountTokensRequest } from '../dialects/anthropic-messages/anthropic-count-tokens-request.js';
import { anthropicMessagesDialect } from '../dialects/anthropic-messages/anthropic-messages-dialect.js';
import { estimateInputTokens } from '../dialects/anthropic-messages/count-tokens-estimate.js';
import type { Gateway } from '../gateway.js';
import { canCountTokens } from '../providers/provider-adapter.js';
import { lowerCaseHeaders } from './client-headers.js';
import { sendError } from './send-error.js';

export async function handleCountTokens(
  gateway: Gateway,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  try {
    await gateway.authenticate(request.headers);
    const decoded = decodeCountTokensRequest(request.body);
    const target = gateway.catalog.resolve(decoded.canonical.model).targets[0]!;
    reply.header('x-junction-provider', target.provider.name).header('x-junction-model', target.model);
    if (canCountTokens(target.provider, 'anthropic-messages')) {
      const clientHeaders = lowerCaseHeaders(request.headers);
      const inputTokens = await target.provider.countTokens(
        'anthropic-messages',
        decoded.body,
        target.model,
        {
          cancel: Cancellation.timeout(30_000),
          requestId: request.id,
          clientHeaders,
        },
      );
      reply.header('x-junction-token-count', 'exact');
      await reply.send({ input_tokens: inputTokens });
      return;
    }
    reply.header('x-junction-token-count', 'estimate');
    await reply.send({ input_tokens: estimateInputTokens(decoded.canonical) });
  } catch (error) {
    sendError(reply, anthropicMessagesDialect, toGatewayError(error));
  }
}
