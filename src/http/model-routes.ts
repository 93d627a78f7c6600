/**
 * `GET /v1/models` and `GET /v1/models/{id}` in the caller's dialect: the OpenAI list and model objects,
 * or, for a request carrying `anthropic-version` (every Anthropic SDK sends it), Anthropic's ModelInfo
 * objects with its cursor pagination (`limit`, `after_id`, `before_id`). Either way a key limited to some
 * models sees only those, as it could call no others.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError, invalidRequest, toGatewayError } from '../core/errors.js';
import { anthropicMessagesDialect } from '../dialects/anthropic-messages/anthropic-messages-dialect.js';
import type { Dialect } from '../dialects/dialect.js';
import { openAIChatDialect } from '../dialects/openai-chat/openai-chat-dialect.js';
import type { Gateway } from '../gateway.js';
import { visibleModels } from '../pipeline/stages/model-access-stage.js';
import type { ModelListing } from '../routing/model-catalog.js';
import { sendError } from './send-error.js';

const ANTHROPIC_DEFAULT_LIMIT = 20;
const ANTHROPIC_MAX_LIMIT = 1000;

export function registerModelRoutes(app: FastifyInstance, gateway: Gateway): void {
  // The catalog has no release dates; the gateway's start stands in for "when this model appeared here".
  const started = new Date();
  const created = Math.floor(started.getTime() / 1000);
  const openAIModel = (model: ModelListing) => ({
    id: model.id,
    object: 'model',
    created,
    owned_by: model.ownedBy,
  });
  const anthropicModel = (model: ModelListing) => ({
    type: 'model',
    id: model.id,
    display_name: model.id,
    created_at: started.toISOString(),
  });

  const visible = async (request: FastifyRequest): Promise<ModelListing[]> => {
    const identity = await gateway.authenticate(request.headers);
    return visibleModels(gateway.catalog.list(), identity.limits?.models);
  };

  app.get('/v1/models', async (request, reply) => {
    const dialect = dialectOf(request);
    try {
      const models = await visible(request);
      if (dialect === openAIChatDialect) return { object: 'list', data: models.map(openAIModel) };
      return anthropicPage(models.map(anthropicModel), request.query as Record<string, unknown>);
    } catch (error) {
      return fail(reply, dialect, error);
    }
  });

  // Model ids contain "/" ("provider/model"), encoded or not, so the id is everything after the prefix.
  app.get('/v1/models/*', async (request, reply) => {
    const dialect = dialectOf(request);
    try {
      const id = decodeURIComponent((request.params as { '*': string })['*']);
      const model = (await visible(request)).find((entry) => entry.id === id);
      if (!model) {
        throw new GatewayError(
          'not_found',
          `The model '${id}' does not exist or you do not have access to it.`,
          {
            param: 'model',
            code: 'model_not_found',
          },
        );
      }
      return dialect === openAIChatDialect ? openAIModel(model) : anthropicModel(model);
    } catch (error) {
      return fail(reply, dialect, error);
    }
  });
}

function dialectOf(request: FastifyRequest): Dialect {
  return typeof request.headers['anthropic-version'] === 'string'
    ? anthropicMessagesDialect
    : openAIChatDialect;
}

function fail(reply: FastifyReply, dialect: Dialect, error: unknown): FastifyReply {
  sendError(reply, dialect, toGatewayError(error));
  return reply;
}

/** Anthropic's list page: `limit` items after `after_id`, or the `limit` items just before `before_id`. */
function anthropicPage<T extends { id: string }>(items: T[], query: Record<string, unknown>) {
  const limit = query.limit === undefined ? ANTHROPIC_DEFAULT_LIMIT : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > ANTHROPIC_MAX_LIMIT)
    throw invalidRequest(`limit: must be an integer from 1 to ${ANTHROPIC_MAX_LIMIT}`, 'limit');
  const cursor = (name: 'after_id' | 'before_id'): number | undefined => {
    const id = query[name];
    if (id === undefined) return undefined;
    const index = items.findIndex((item) => item.id === id);
    if (index < 0) throw invalidRequest(`${name}: no model '${String(id)}' in this list`, name);
    return index;
  };
  const before = cursor('before_id');
  const after = cursor('after_id');
  const end = before ?? items.length;
  const start = before !== undefined ? Math.max(0, end - limit) : after !== undefined ? after + 1 : 0;
  const data = items.slice(start, Math.min(end, start + limit));
  return {
    data,
    has_more: before !== undefined ? start > 0 : start + data.length < items.length,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
  };
}
