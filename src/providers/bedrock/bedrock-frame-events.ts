/**
 * Event-stream messages → Bedrock stream events `{type, payload}`: `:message-type` `event` frames carry one
 * ConverseStream event named by `:event-type` with a JSON payload; `exception` frames (throttling, model
 * stream errors, ...) and generic `error` frames end the stream with a classified GatewayError.
 */
import { GatewayError } from '../../core/errors.js';
import type { ReadyIterator } from '../../core/ready-iterator.js';
import { stepDecoder } from '../shared/step-decoder.js';
import { bedrockFailureClass, bedrockStreamException } from './bedrock-error.js';
import type { EventStreamMessage } from './bedrock-event-stream.js';

export interface BedrockStreamEvent {
  /** The `:event-type`: messageStart, contentBlockStart, contentBlockDelta, ..., metadata. */
  type: string;
  payload: unknown;
}

export interface FrameEventOptions {
  provider?: string;
}

const decoder = new TextDecoder();

/** One event per `event` frame behind a plain iterator (`stepDecoder`); other frames throw or are skipped. */
export function bedrockEventsFromFrames(
  messages: AsyncIterable<EventStreamMessage>,
  options: FrameEventOptions = {},
): ReadyIterator<BedrockStreamEvent> {
  const provider = options.provider ?? 'bedrock';
  return stepDecoder(messages, {
    step: (message) => {
      const event = frameEvent(message, provider);
      return event ? [event] : NONE;
    },
  });
}

const NONE: readonly BedrockStreamEvent[] = [];

function frameEvent(message: EventStreamMessage, provider: string): BedrockStreamEvent | undefined {
  const { headers } = message;
  const text = decoder.decode(message.payload);
  switch (headers[':message-type']) {
    case 'event': {
      const type = headers[':event-type'];
      if (type === undefined) return undefined;
      let payload: unknown;
      try {
        payload = JSON.parse(text);
      } catch (error) {
        // The frame passed its checksums, so this is Bedrock's bug, not line noise; still not ours to guess.
        throw new GatewayError('transient', `${provider}: malformed ${type} event in upstream stream`, {
          provider,
          cause: error,
        });
      }
      return { type, payload };
    }
    case 'exception':
      throw bedrockStreamException(provider, headers[':exception-type'] ?? 'UnknownException', text);
    case 'error': {
      const code = headers[':error-code'];
      throw new GatewayError(
        bedrockFailureClass(code) ?? 'transient',
        `${provider}: ${headers[':error-message'] ?? code ?? 'upstream stream error'}`,
        { provider, ...(code !== undefined ? { code } : {}) },
      );
    }
    default:
      // A message type this decoder does not know carries nothing it can use.
      return undefined;
  }
}
