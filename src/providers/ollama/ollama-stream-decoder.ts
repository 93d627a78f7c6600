/**
 * Ollama `/api/chat` NDJSON stream -> canonical events. Each line is a whole object: `message` holds the
 * next piece of `content` / `thinking`, or whole tool calls (arguments as an object, no id); the last line
 * has `done: true`, `done_reason` and the token counts. A failure after the stream began arrives as a line
 * `{"error": "..."}`.
 */
import { z } from 'zod';
import type { CanonicalEvent } from '../../core/canonical-events.js';
import { GatewayError, redactSecrets } from '../../core/errors.js';
import type { ReadyIterator } from '../../core/ready-iterator.js';
import type { Usage } from '../../core/usage.js';
import { collectStep, stepDecoder } from '../shared/step-decoder.js';
import { upstreamErrorFromText } from '../shared/upstream-error.js';
import { mapOllamaDoneReason } from './map-ollama-done-reason.js';
import { parseOllamaError } from './ollama-error.js';

// Every field tolerates a wrong type (becomes undefined) so one odd field never costs the whole line.
const str = z.string().nullish().catch(undefined);
const num = z.number().nullish().catch(undefined);

const toolCallSchema = z.looseObject({
  id: str,
  function: z.looseObject({ name: str, arguments: z.unknown().optional() }).nullish().catch(undefined),
});

const lineSchema = z.looseObject({
  model: str,
  created_at: str,
  message: z
    .looseObject({
      content: str,
      thinking: str,
      tool_calls: z.array(toolCallSchema).nullish().catch(undefined),
    })
    .nullish()
    .catch(undefined),
  done: z.boolean().nullish().catch(undefined),
  done_reason: str,
  prompt_eval_count: num,
  eval_count: num,
  error: z.unknown().optional(),
});

type Line = z.infer<typeof lineSchema>;

/** A synchronous step per line behind one plain iterator (`stepDecoder`), not an async generator. */
export function decodeOllamaStream(
  lines: AsyncIterable<string>,
  provider = 'ollama',
): ReadyIterator<CanonicalEvent> {
  const state = { started: false, toolCalls: 0, finished: false };
  return stepDecoder(lines, {
    // Once finished, the rest is drained unread, so the connection can be reused.
    step: (text) => (state.finished ? NONE : collectStep(decodeLine(text, state, provider))),
    end() {
      if (!state.finished) {
        throw new GatewayError('transient', `${provider}: stream ended before the response finished`, {
          provider,
        });
      }
      return NONE;
    },
  });
}

const NONE: readonly CanonicalEvent[] = [];

function* decodeLine(
  text: string,
  state: { started: boolean; toolCalls: number; finished: boolean },
  provider: string,
): Generator<CanonicalEvent> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new GatewayError('transient', `${provider}: malformed line in the upstream stream`, {
      provider,
      upstreamBody: redactSecrets(text.slice(0, 4096)),
    });
  }
  const parsed = lineSchema.safeParse(json);
  if (!parsed.success) return;
  const line = parsed.data;
  if (line.error != null) {
    // No HTTP status for an in-stream failure: 502 stands in for "the upstream failed".
    throw upstreamErrorFromText(provider, 502, {}, text, parseOllamaError);
  }
  if (!state.started) {
    state.started = true;
    yield responseStart(line);
  }
  const message = line.message;
  if (message?.thinking) yield { type: 'reasoning-delta', text: message.thinking };
  if (message?.content) yield { type: 'text-delta', text: message.content };
  for (const call of message?.tool_calls ?? []) {
    const index = state.toolCalls++;
    // Ollama gives no id; an id is required downstream to pair the result with the call.
    yield {
      type: 'tool-call-start',
      index,
      id: call.id || `call_${index}`,
      name: call.function?.name ?? '',
    };
    yield { type: 'tool-call-delta', index, argumentsDelta: argumentsText(call.function?.arguments) };
    yield { type: 'tool-call-end', index };
  }
  if (line.done) {
    const usage = usageOf(line);
    if (usage) yield { type: 'usage', usage };
    const raw = line.done_reason ?? undefined;
    yield { type: 'finish', reason: mapOllamaDoneReason(raw, state.toolCalls > 0), ...(raw ? { raw } : {}) };
    state.finished = true;
  }
}

function responseStart(line: Line): CanonicalEvent {
  const created = line.created_at ? Date.parse(line.created_at) : Number.NaN;
  return {
    type: 'response-start',
    ...(line.model ? { model: line.model } : {}),
    ...(Number.isNaN(created) ? {} : { created: Math.floor(created / 1000) }),
  };
}

/** Arguments arrive as an object; a server that sends a JSON string is passed through. */
function argumentsText(value: unknown): string {
  if (typeof value === 'string') return value.trim() === '' ? '{}' : value;
  if (value === undefined || value === null) return '{}';
  return JSON.stringify(value);
}

function usageOf(line: Line): Usage | undefined {
  if (line.prompt_eval_count == null && line.eval_count == null) return undefined;
  return { inputTokens: line.prompt_eval_count ?? 0, outputTokens: line.eval_count ?? 0 };
}
