/**
 * @anthropic-ai/sdk client -> Anthropic upstream: the same-dialect fast path. A request carrying fields
 * Junction does not model (a top-level field from the future, an unknown content block type) reaches the
 * upstream byte for byte except `model`, and the upstream's unknown response fields, blocks and events
 * reach the client. A translated path cannot carry such fields, so there it is a 400 naming them.
 */
import Anthropic from '@anthropic-ai/sdk';
import { beforeAll, describe, expect, it } from 'vitest';
import { anthropicClient } from '../support/chat-client.js';
import { serverWithKeys, useGatewayWithMock } from '../support/e2e-gateway.js';
import { loadJson } from '../support/fixtures.js';
import { anthropicChunksSse, jsonAnswer, sseAnswer } from '../support/upstream-answers.js';

const CLIENT_KEY = 'jk-anthropic-sdk-fast-path';
const TEXT_JSON = 'anthropic-messages/vercel-anthropic-text.json';
const TEXT_CHUNKS = 'anthropic-messages/vercel-anthropic-text.chunks.txt';

const { mock, gateway } = useGatewayWithMock((upstream) => ({
  config: `${serverWithKeys({ 'team-a': CLIENT_KEY })}
[providers.claude]
type = "anthropic"
base_url = "${upstream.origin}"
api_key = "anthropic-upstream-key"

[providers.gem]
type = "gemini"
base_url = "${upstream.origin}"
api_key = "gemini-upstream-key"
`,
}));
let client: Anthropic;

beforeAll(() => {
  client = anthropicClient(gateway.baseURL, CLIENT_KEY);
});

/** A Messages body with what no schema knows: a top-level field and an unknown block type. */
function futureBody(model: string, stream: boolean): Record<string, unknown> {
  return {
    model,
    max_tokens: 256,
    x_future_field: { a: [1] },
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Hello' },
          {
            type: 'future_block',
            payload: { nested: [true, null, 1.5] },
            cache_control: { type: 'ephemeral' },
          },
        ],
      },
    ],
    ...(stream ? { stream: true } : {}),
  };
}

/** What the client sent, as the SDK put it on the wire (JSON.stringify), with only `model` replaced. */
function expectForwardedExceptModel(sent: Record<string, unknown>, upstreamModel: string): void {
  const expected = JSON.stringify(sent).replace(
    `"model":${JSON.stringify(sent.model)}`,
    `"model":${JSON.stringify(upstreamModel)}`,
  );
  expect(mock.last().rawBody).toBe(expected);
}

describe('anthropic fast path: fields Junction does not model', () => {
  it('non-stream: the request reaches Anthropic byte for byte except model; unknown response fields and blocks reach the client', async () => {
    const recorded = loadJson(TEXT_JSON) as Record<string, unknown>;
    const answer = {
      ...recorded,
      content: [...(recorded.content as unknown[]), { type: 'future_output', data: { k: 'v' } }],
      x_future_response: { flags: ['a', 'b'] },
    };
    const answerBody = JSON.stringify(answer);
    mock.enqueue(jsonAnswer(answer, 200, { 'request-id': 'req_upstream_1' }));
    const sent = futureBody('claude/claude-sonnet-4-5', false);
    const { data, response } = await client.messages
      .create(sent as unknown as Anthropic.MessageCreateParamsNonStreaming, {
        headers: { 'anthropic-beta': 'future-feature-2099-01-01' },
      })
      .withResponse();

    expectForwardedExceptModel(sent, 'claude-sonnet-4-5');
    const upstream = mock.last();
    expect(upstream.path).toBe('/v1/messages');
    expect(upstream.headers['x-api-key']).toBe('anthropic-upstream-key');
    expect(upstream.headers['anthropic-beta']).toBe('future-feature-2099-01-01');
    expect(upstream.headers['anthropic-version']).toBe('2023-06-01');
    expect(upstream.rawBody).not.toContain(CLIENT_KEY);

    expect(data).toEqual(answer);
    expect((data as unknown as Record<string, unknown>).x_future_response).toEqual({ flags: ['a', 'b'] });
    expect(data.content.at(-1)).toEqual({ type: 'future_output', data: { k: 'v' } });
    expect(response.headers.get('request-id')).toBe('req_upstream_1');
    // Anthropic's id has its own name; x-request-id stays the gateway's.
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('x-junction-provider')).toBe('claude');

    // The bytes themselves, read without the SDK.
    mock.enqueue(jsonAnswer(answer));
    const raw = await fetch(`${gateway.baseURL}/v1/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': CLIENT_KEY,
        'anthropic-version': '2023-06-01',
      },
      body: JSON.stringify(sent),
    });
    expect(raw.status).toBe(200);
    expect(await raw.text()).toBe(answerBody);
    expectForwardedExceptModel(sent, 'claude-sonnet-4-5');
  });

  it('stream: unknown events, block types and delta types are relayed in order, byte for byte', async () => {
    const recorded = anthropicChunksSse(TEXT_CHUNKS);
    const events = recorded.split('\n\n').filter((e) => e !== '');
    // After the text block: an unknown block with an unknown delta, and an unknown event type.
    const future = [
      'event: content_block_start\ndata: {"type":"content_block_start","index":1,"content_block":{"type":"future_output","data":{}}}',
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":1,"delta":{"type":"future_delta","bits":[0,1]}}',
      'event: content_block_stop\ndata: {"type":"content_block_stop","index":1}',
      'event: future_event\ndata: {"type":"future_event","note":"from the future"}',
    ];
    const messageDelta = events.findIndex((e) => e.includes('"type":"message_delta"'));
    const sse = `${[...events.slice(0, messageDelta), ...future, ...events.slice(messageDelta)].join('\n\n')}\n\n`;
    mock.enqueue(sseAnswer(sse));
    const sent = futureBody('claude/claude-sonnet-4-5', true);
    const response = await fetch(`${gateway.baseURL}/v1/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': CLIENT_KEY,
        'anthropic-version': '2023-06-01',
      },
      body: JSON.stringify(sent),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(await response.text()).toBe(sse);
    expectForwardedExceptModel(sent, 'claude-sonnet-4-5');
  });

  it('a translated path cannot carry them: 400 invalid_request_error naming each, nothing sent upstream', async () => {
    const sent = futureBody('gem/gemini-2.5-flash', false);
    const error = await client.messages
      .create(sent as unknown as Anthropic.MessageCreateParamsNonStreaming)
      .then(() => undefined)
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    const apiError = error as InstanceType<typeof Anthropic.BadRequestError>;
    expect(apiError.status).toBe(400);
    expect(apiError.error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(apiError.message).toContain('x_future_field');
    expect(mock.requests).toHaveLength(0);
  });
});
