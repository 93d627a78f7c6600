/**
 * `POST /v1/responses/input_tokens`: the input tokens a create body would use, history included
 * (previous_response_id / conversation). EXACT when the first target relays the Responses API and can
 * count (OpenAI, Azure with the Responses API: their own input_tokens endpoint is asked); an ESTIMATE
 * otherwise (4 characters a token over the canonical request, src/core/estimate-tokens.ts). The
 * `x-junction-token-count` header says which.
 */
import { Cancellation } from '../core/cancellation.js';
import { estimateRequestTokens } from '../core/estimate-tokens.js';
import { openAIResponsesDialect } from '../dialects/openai-responses/openai-responses-dialect.js';
import { canCountTokens } from '../providers/provider-adapter.js';
import { lowerCaseHeaders } from './client-headers.js';
import { sendJson, withOpenAIErrors } from './handle-responses-retrieve.js';
import { resolveResponsesRoute } from './responses-run.js';
import { callerOf } from './responses-surface.js';
import { narrowForBuiltInTools, prepareTurn } from './responses-turn.js';

/** The create fields the upstream's input_tokens endpoint takes (it refuses the rest, e.g. `stream`). */
const COUNTED_FIELDS = [
  'model',
  'input',
  'instructions',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'reasoning',
  'text',
  'truncation',
];

export const handleResponsesInputTokens = withOpenAIErrors(async (surface, request, reply) => {
  const identity = await callerOf(surface, request.headers);
  const decoded = openAIResponsesDialect.decodeRequest(request.body);
  const turn = await prepareTurn(decoded, { store: surface.store, ownerKey: identity.keyName });
  const clientHeaders = lowerCaseHeaders(request.headers);
  const route = narrowForBuiltInTools(resolveResponsesRoute(surface.gateway, turn, clientHeaders), turn);
  const target = route.targets[0]!;
  reply.header('x-junction-provider', target.provider.name).header('x-junction-model', target.model);
  let inputTokens: number;
  if (canCountTokens(target.provider, 'openai-responses')) {
    const body: Record<string, unknown> = {};
    for (const field of COUNTED_FIELDS)
      if (turn.decoded.body[field] != null) body[field] = turn.decoded.body[field];
    inputTokens = await target.provider.countTokens('openai-responses', body, target.model, {
      cancel: Cancellation.timeout(30_000),
      requestId: request.id,
      clientHeaders,
    });
    reply.header('x-junction-token-count', 'exact');
  } else {
    inputTokens = estimateRequestTokens(turn.decoded.canonical);
    reply.header('x-junction-token-count', 'estimate');
  }
  await sendJson(reply, { object: 'response.input_tokens', input_tokens: inputTokens });
});
