/**
 * A Responses request on the shared HTTP path (handleGeneration): the hooks continue it from stored state
 * before the stages run, and store the finished Response BEFORE its last bytes reach the client, so a
 * client that continues at once (previous_response_id, on this node or another) always finds it.
 *
 * - translated stream: after the last canonical event the encoder is ended here (the final frames are
 *   handed to the delivery code unchanged), the Response and its events are stored, then delivery writes.
 * - translated JSON: the Response is built here (the same builder a stream uses, so the stored events
 *   replay exactly), stored, then returned to the delivery code as the body.
 * - fast path (OpenAI Responses relay): the bytes pass untouched; the terminal event (or the JSON body)
 *   is parsed and stored before the chunk that carries it is released. A relayed stream that fails after
 *   content (the relay stops before an upstream `error` or `response.failed`) ends with Junction's
 *   `error` event and is stored as failed.
 */
import type { Logger } from 'pino';
import type { CanonicalEvent } from '../core/canonical-events.js';
import { ResponseCollector } from '../core/collect-response.js';
import type { GatewayError } from '../core/errors.js';
import { toGatewayError } from '../core/errors.js';
import type { EncodeContext } from '../dialects/dialect.js';
import type {
  DecodedResponsesRequest,
  ResponsesDialect,
} from '../dialects/openai-responses/openai-responses-dialect.js';
import { openAIResponsesDialect } from '../dialects/openai-responses/openai-responses-dialect.js';
import { responseErrorCode } from '../dialects/openai-responses/openai-responses-error.js';
import { ResponsesEventBuilder } from '../dialects/openai-responses/openai-responses-event-builder.js';
import {
  builderOptions,
  replayCanonicalResponse,
} from '../dialects/openai-responses/openai-responses-response.js';
import type { ResponseObject } from '../dialects/openai-responses/openai-responses-response-object.js';
import type { ResponsesStreamEncoder } from '../dialects/openai-responses/openai-responses-stream-encoder.js';
import type { ResponseStore } from '../storage/response-store/response-store.js';
import type { GenerationHooks } from './handle-generation.js';
import type { WireEvent } from './responses-relay-reader.js';
import { RelayedResponsesReader } from './responses-relay-reader.js';
import { errorEvent } from './responses-run.js';
import type { ResponsesTurn } from './responses-turn.js';
import { encodeContextOf, narrowForBuiltInTools, prepareTurn, recordTurn } from './responses-turn.js';

export interface ResponsesHttpTurn {
  dialect: ResponsesDialect;
  hooks: GenerationHooks;
}

export function createResponsesHttpTurn(store: ResponseStore, log: Logger): ResponsesHttpTurn {
  const base = openAIResponsesDialect;
  let turn: ResponsesTurn | undefined;
  let encoder: ResponsesStreamEncoder | undefined;
  /** Frames of end() / error() produced early (so the store write precedes them). */
  let finalFrames: string | undefined;
  /** The non-stream Response built early. */
  let built: ResponseObject | undefined;

  const contextOf = (context: EncodeContext) => (turn ? encodeContextOf(turn, context.requestId) : context);
  const takeFinal = (): string | undefined => {
    const frames = finalFrames;
    finalFrames = undefined;
    return frames;
  };

  const save = async (response: Record<string, unknown>, events?: ReadonlyArray<Record<string, unknown>>) => {
    if (!turn) return;
    try {
      await recordTurn(store, turn, response, events && events.length > 0 ? { streamEvents: events } : {});
    } catch (error) {
      // The answer is good; only its later retrieval suffers. Never fail the client for it.
      log.warn({ err: error, responseId: response.id }, 'response store: could not store a response');
    }
  };

  const dialect: ResponsesDialect = {
    ...base,
    encodeResponse: (response, context) => built ?? base.encodeResponse(response, contextOf(context)),
    createStreamEncoder(context, decoded) {
      const inner = base.createStreamEncoder(contextOf(context), decoded);
      encoder = inner;
      return {
        get events() {
          return inner.events;
        },
        responseId: inner.responseId,
        response: () => inner.response(),
        event: (event) => inner.event(event),
        end: () => takeFinal() ?? inner.end(),
        error: (error) => takeFinal() ?? inner.error(error),
      };
    },
  };

  async function* capture(events: AsyncIterable<CanonicalEvent>): AsyncGenerator<CanonicalEvent> {
    const streaming = turn?.decoded.canonical.stream === true;
    const collector = streaming ? undefined : new ResponseCollector();
    try {
      for await (const event of events) {
        collector?.add(event);
        yield event;
      }
    } catch (thrown) {
      if (encoder) {
        finalFrames = encoder.error(toGatewayError(thrown));
        await save(encoder.response(), encoder.events);
      }
      throw thrown;
    }
    if (encoder) {
      finalFrames = encoder.end();
      await save(encoder.response(), encoder.events);
    } else if (collector && turn) {
      const replayed = replayCanonicalResponse(
        collector.response,
        new ResponsesEventBuilder(builderOptions(encodeContextOf(turn, ''))),
      );
      built = replayed.response;
      await save(replayed.response, replayed.events);
    }
  }

  async function* tapRelay(
    body: AsyncIterable<Uint8Array>,
    headers: Record<string, string>,
  ): AsyncGenerator<Uint8Array> {
    const isStream = headers['content-type']?.includes('text/event-stream') === true;
    const reader = new RelayedResponsesReader(isStream);
    let saved = false;
    try {
      for await (const chunk of body) {
        reader.push(chunk);
        if (!saved && reader.response) {
          saved = true;
          await save(reader.response, reader.events);
        }
        yield chunk;
      }
    } catch (thrown) {
      if (isStream && !saved) await failRelayed(reader.events, toGatewayError(thrown));
      throw thrown;
    }
    reader.end();
    if (!saved && reader.response) await save(reader.response, reader.events);
  }

  /**
   * A relayed stream that failed after content (an in-band error, a break): its end is one `error` event
   * numbered after the upstream's (the stream's error frames), and the Response as last reported is
   * stored as failed, as a background run stores it.
   */
  async function failRelayed(events: readonly WireEvent[], error: GatewayError): Promise<void> {
    let sequence = events.length;
    for (const event of events) {
      if (typeof event.sequence_number === 'number') sequence = event.sequence_number + 1;
    }
    const ending = errorEvent(error, sequence);
    finalFrames = `event: error\ndata: ${JSON.stringify(ending)}\n\n`;
    const snapshot = events.findLast((event) => typeof event.response === 'object' && event.response !== null)
      ?.response as Record<string, unknown> | undefined;
    if (!snapshot) return;
    const failed = {
      ...snapshot,
      status: 'failed',
      error: { code: responseErrorCode(error.failureClass), message: error.message },
    };
    await save(failed, [...events, ending]);
  }

  return {
    dialect,
    hooks: {
      async prepare({ identity, decoded, route }) {
        turn = await prepareTurn(decoded as DecodedResponsesRequest, { store, ownerKey: identity.keyName });
        // The stages and the router hold this object: it is continued in place.
        Object.assign(decoded, turn.decoded);
        turn.decoded = decoded as DecodedResponsesRequest;
        return narrowForBuiltInTools(route, turn);
      },
      wrapEvents: capture,
      wrapRelayBody: tapRelay,
    },
  };
}
