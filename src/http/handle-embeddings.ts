/**
 * `POST /v1/embeddings` on the OpenAI surface: authenticate, decode, resolve the model like chat (an
 * alias's `input_type` default filling the client's gap), run the governance stages that apply to
 * embeddings, route (failover, retries, breakers, key rotation) through the one Router, and answer
 * OpenAI's `list` of `embedding` objects. The usage record, log line, metrics,
 * `x-request-id` and cost header are the generation path's, with output tokens 0.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CanonicalRequest } from '../core/canonical-request.js';
import type { EmbeddingRequest } from '../core/embeddings.js';
import type { DecodedRequest } from '../dialects/dialect.js';
import { openAIChatDialect } from '../dialects/openai-chat/openai-chat-dialect.js';
import { decodeEmbeddingRequest } from '../dialects/openai-embeddings/openai-embeddings-request.js';
import { encodeEmbeddingResponse } from '../dialects/openai-embeddings/openai-embeddings-response.js';
import type { Gateway } from '../gateway.js';
import type { RequestContext, Stage, StageRun } from '../pipeline/stage.js';
import { beginStages, finalHeaders } from '../pipeline/stage.js';
import { newUsageRecord, recordCaller } from '../pipeline/usage-recorder.js';
import { applyEmbeddingDefaults } from '../routing/apply-embedding-defaults.js';
import { attemptsOf } from '../routing/router.js';
import { lowerCaseHeaders } from './client-headers.js';
import { finishRequest } from './finish-request.js';
import { followClient } from './follow-client.js';
import { setRouteHeaders } from './handle-generation.js';
import { answerFailure } from './send-error.js';

/** The dialect name in usage records, logs and request metrics. */
export const EMBEDDINGS_DIALECT = 'openai-embeddings';

/**
 * The stages an embedding request runs, in their fixed order. The rest shape or watch a generated answer
 * (system prompt, output guardrails) or cache one, and have nothing to act on here.
 */
const EMBEDDING_STAGES: ReadonlySet<string> = new Set([
  'pricing',
  'model-access',
  'rate-limit',
  'concurrency',
  'input-guardrails',
  'budget',
]);

export function embeddingStages(stages: readonly Stage[]): Stage[] {
  return stages.filter((stage) => EMBEDDING_STAGES.has(stage.name));
}

export async function handleEmbeddings(
  gateway: Gateway,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  reply.hijack();
  const raw = reply.raw;
  const started = performance.now();
  const record = newUsageRecord(request.id, EMBEDDINGS_DIALECT);
  const responseHeaders: Record<string, string> = { 'x-request-id': request.id };
  const { cancel, done } = followClient(gateway, raw);
  let runs: StageRun[] = [];
  try {
    const identity = await gateway.authenticate(request.headers);
    recordCaller(record, identity);
    const asSent = decodeEmbeddingRequest(request.body);
    record.model = asSent.model;
    const headerProvider = request.headers['x-llm-provider'];
    const route = gateway.catalog.resolve(
      asSent.model,
      typeof headerProvider === 'string' && headerProvider !== '' ? { provider: headerProvider } : {},
    );
    const embedding = route.alias ? applyEmbeddingDefaults(asSent, route.alias.defaults) : asSent;
    const decoded = stageView(embedding);
    const clientHeaders = lowerCaseHeaders(request.headers);
    const context: RequestContext = {
      requestId: request.id,
      dialect: openAIChatDialect,
      identity,
      decoded,
      route,
      clientHeaders,
      responseHeaders,
      relayAllowed: false,
      record,
    };
    runs = await beginStages(gateway.embeddingStages, context);
    let outcome: Awaited<ReturnType<Gateway['router']['embed']>>;
    try {
      outcome = await gateway.router.embed({
        route,
        request: withStagedInput(embedding, decoded.canonical),
        cancel,
        requestId: request.id,
        clientHeaders,
      });
    } catch (error) {
      record.attempts = attemptsOf(error).length;
      throw error;
    }
    record.attempts = outcome.attempts.length;
    record.provider = outcome.target.provider.name;
    record.upstreamModel = outcome.target.model;
    record.usage = { inputTokens: outcome.inputTokens, outputTokens: 0 };
    setRouteHeaders(responseHeaders, outcome);
    const body = JSON.stringify(
      encodeEmbeddingResponse(outcome, embedding.encodingFormat, outcome.model ?? outcome.target.model),
    );
    record.ttftMs = performance.now() - started;
    raw.writeHead(200, {
      ...responseHeaders,
      ...finalHeaders(runs, record.usage),
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
    });
    raw.end(body);
  } catch (thrown) {
    answerFailure(raw, openAIChatDialect, thrown, record, responseHeaders, request.log);
  } finally {
    done();
    const finished = finishRequest(gateway, runs, record, started, false);
    if (finished) await finished;
  }
}

/**
 * The request as the stages read it: each text input one user message (so input guardrails check and
 * redact each), no output (a rate-limit and budget reservation of the input alone). Token-array inputs
 * carry no text: they are reserved at the minimum and settled to the upstream's count.
 */
function stageView(embedding: EmbeddingRequest): DecodedRequest {
  const texts = embedding.input.kind === 'text' ? embedding.input.texts : [];
  const canonical: CanonicalRequest = {
    model: embedding.model,
    messages: texts.map((text) => ({ role: 'user', content: [{ type: 'text', text }] })),
    maxOutputTokens: 0,
    stream: false,
  };
  return { canonical, body: {}, unmodeled: [] };
}

/** The texts after the stages (input guardrails may have redacted them). */
function withStagedInput(embedding: EmbeddingRequest, canonical: CanonicalRequest): EmbeddingRequest {
  if (embedding.input.kind !== 'text') return embedding;
  const texts = canonical.messages.map((message) =>
    message.content.map((part) => (part.type === 'text' ? part.text : '')).join(''),
  );
  return { ...embedding, input: { kind: 'text', texts } };
}
