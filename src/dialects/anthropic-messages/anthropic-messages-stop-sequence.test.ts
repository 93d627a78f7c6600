/**
 * An Anthropic answer that ended on a client stop sequence keeps `stop_sequence` (the matched string) when
 * it crosses the canonical form, as it does whenever the byte relay is off (response cache, output
 * guardrails): Anthropic's SDK types promise a non-null value with stop_reason "stop_sequence".
 */
import { describe, expect, it } from 'vitest';
import { byteChunks } from '../../../test/support/fixtures.js';
import { collectResponse } from '../../core/collect-response.js';
import { decodeAnthropicStream } from '../../providers/anthropic/anthropic-stream-decoder.js';
import { parseSse } from '../../providers/shared/sse.js';
import { encodeAnthropicMessage } from './anthropic-messages-response.js';
import { createAnthropicMessagesStreamEncoder } from './anthropic-messages-stream-encoder.js';

const CONTEXT = { model: 'an/claude-x', requestId: 'req_1' };
const event = (type: string, data: Record<string, unknown>) =>
  `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
const START = {
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  model: 'claude-x',
  content: [],
  stop_reason: null,
  stop_sequence: null,
  usage: { input_tokens: 5, output_tokens: 1 },
};
const STREAMED =
  event('message_start', { message: START }) +
  event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }) +
  event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'one two ' } }) +
  event('content_block_stop', { index: 0 }) +
  event('message_delta', {
    delta: { stop_reason: 'stop_sequence', stop_sequence: 'END' },
    usage: { output_tokens: 3 },
  }) +
  event('message_stop', {});
/** A whole message in message_start, as the decoder sees a turn that arrives complete. */
const WHOLE =
  event('message_start', {
    message: {
      ...START,
      content: [{ type: 'text', text: 'one two ' }],
      stop_reason: 'stop_sequence',
      stop_sequence: 'END',
    },
  }) + event('message_stop', {});

const decode = (sse: string) => decodeAnthropicStream(parseSse(byteChunks(sse, 11)));

async function streamed(sse: string): Promise<Record<string, unknown>> {
  const encoder = createAnthropicMessagesStreamEncoder(CONTEXT);
  let out = '';
  for await (const e of decode(sse)) out += encoder.event(e);
  out += encoder.end();
  const delta = out.split('\n').find((line) => line.startsWith('data: {"type":"message_delta"'));
  return (JSON.parse(delta!.slice('data: '.length)) as { delta: Record<string, unknown> }).delta;
}

describe('stop_sequence through the canonical form', () => {
  it('stream: message_delta carries the matched sequence', async () => {
    expect(await streamed(STREAMED)).toEqual({ stop_reason: 'stop_sequence', stop_sequence: 'END' });
  });

  it('non-stream: the message carries the matched sequence', async () => {
    for (const sse of [STREAMED, WHOLE]) {
      const message = encodeAnthropicMessage(await collectResponse(decode(sse)), CONTEXT);
      expect(message).toMatchObject({ stop_reason: 'stop_sequence', stop_sequence: 'END' });
    }
  });

  it('stays null for any other stop reason', async () => {
    const ended = STREAMED.replace(
      '"stop_reason":"stop_sequence","stop_sequence":"END"',
      '"stop_reason":"end_turn","stop_sequence":null',
    );
    expect(await streamed(ended)).toEqual({ stop_reason: 'end_turn', stop_sequence: null });
  });
});
