import { EventStreamCodec } from '@smithy/eventstream-codec';
import { describe, expect, it } from 'vitest';
import { cassetteBytes, loadCassette, loadJson } from '../../../test/support/fixtures.js';
import { replyJson, replyWith, useLocalUpstream } from '../../../test/support/local-upstream.js';
import { callContext, providerConfig } from '../../../test/support/provider-config.js';
import type { CanonicalEvent } from '../../core/canonical-events.js';
import type { ProviderRequest } from '../../core/canonical-request.js';
import { collectResponse } from '../../core/collect-response.js';
import { GatewayError } from '../../core/errors.js';
import type { CallContext, ProviderConfig } from '../provider-adapter.js';
import { createBedrockAdapter, encodeModelId, endpointFor } from './bedrock-adapter.js';
import { convertToBedrockRequest, isAnthropicModel } from './convert-to-bedrock-request.js';
import { signAwsRequest } from './sign-aws-request.js';

const THINKING_STREAM = cassetteBytes('bedrock-converse/pydantic-ai-bedrock_model_thinking_part_stream.yaml');

const upstream = useLocalUpstream();

/** Writes the binary event stream in uneven pieces, as a real upstream would. */
const replayEventStream = (bytes: Uint8Array) =>
  replyWith({
    headers: { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': 'req-abc' },
    body: bytes,
    pieces: [5, 120, 33, 1000, 1],
  });

const config = (overrides: Partial<ProviderConfig> = {}): ProviderConfig =>
  providerConfig({
    name: 'aws',
    type: 'bedrock',
    baseUrl: upstream.origin,
    timeoutMs: 10_000,
    settings: {
      region: 'us-west-2',
      accessKeyId: 'AKIDTEST',
      secretAccessKey: 'test-secret',
      sessionToken: 'test-token',
    },
    ...overrides,
  });

const context = (): CallContext => callContext();

/** Claude models think on a budget here; the others (Nova 1) cannot reason and are asked for none. */
function request(upstreamModel: string, overrides: Partial<ProviderRequest> = {}): ProviderRequest {
  return {
    model: `aws/${upstreamModel}`,
    upstreamModel,
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
    ...(isAnthropicModel(upstreamModel)
      ? { reasoning: { mode: 'enabled' as const, budgetTokens: 1024 } }
      : {}),
    stream: true,
    ...overrides,
  };
}

async function failure(
  events: AsyncIterable<CanonicalEvent>,
  received: CanonicalEvent[] = [],
): Promise<GatewayError> {
  try {
    for await (const event of events) received.push(event);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('createBedrockAdapter', () => {
  it('posts a SigV4-signed ConverseStream request and decodes the recorded event stream', async () => {
    upstream.reply = replayEventStream(THINKING_STREAM);
    const adapter = createBedrockAdapter(config({ headers: { 'X-Team': 'search' } }));
    const upstreamModel = 'us.anthropic.claude-sonnet-4-20250514-v1:0';
    const response = await collectResponse(adapter.stream(request(upstreamModel), context()));

    expect(response.id).toBe('req-abc');
    expect(response.content.map((part) => part.type)).toEqual(['reasoning', 'text']);
    expect(response.content[1]).toEqual({
      type: 'text',
      text: "Hello! It's nice to meet you. How can I help you today?",
    });
    expect((response.content[0] as { signature?: string }).signature).toMatch(/^Eu0CCkgIBxABGAIqQJDc/);
    expect(response.usage).toEqual({ inputTokens: 36, outputTokens: 73 });
    expect(response.finishReason).toBe('stop');

    const [call] = upstream.seen;
    expect(call!.method).toBe('POST');
    expect(call!.url).toBe('/model/us.anthropic.claude-sonnet-4-20250514-v1%3A0/converse-stream');
    expect(JSON.parse(call!.body)).toEqual(convertToBedrockRequest(request(upstreamModel), 'bedrock'));
    expect(call!.headers['content-type']).toBe('application/json');
    expect(call!.headers.accept).toBe('application/vnd.amazon.eventstream');
    expect(call!.headers['x-team']).toBe('search');
    expect(call!.headers['x-amz-security-token']).toBe('test-token');
    const date = call!.headers['x-amz-date'] as string;
    expect(date).toMatch(/^\d{8}T\d{6}Z$/);
    expect(call!.headers.authorization).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=AKIDTEST/${date.slice(0, 8)}/us-west-2/bedrock/aws4_request, ` +
          'SignedHeaders=accept;content-type;host;x-amz-date;x-amz-security-token;x-team, Signature=[0-9a-f]{64}$',
      ),
    );

    // The signature covers exactly what arrived: re-signing the received request at its date reproduces it.
    const resigned = await signAwsRequest({
      method: 'POST',
      url: new URL(`${upstream.origin}${call!.url}`),
      headers: {
        accept: call!.headers.accept as string,
        'content-type': call!.headers['content-type'] as string,
        'x-team': call!.headers['x-team'] as string,
      },
      body: call!.body,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret', sessionToken: 'test-token' },
      region: 'us-west-2',
      service: 'bedrock',
      date: new Date(
        `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`,
      ),
    });
    expect(call!.headers.authorization).toBe(resigned.authorization);
    expect(call!.headers.host).toBe(new URL(upstream.origin).host);
  });

  it('escapes an inference-profile ARN into one path segment', async () => {
    upstream.reply = replayEventStream(THINKING_STREAM);
    const arn =
      'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0';
    await collectResponse(createBedrockAdapter(config()).stream(request(arn), context()));
    expect(upstream.seen[0]!.url).toBe(
      '/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.anthropic.claude-sonnet-4-20250514-v1%3A0/converse-stream',
    );
    expect(encodeModelId("a!b'c(d)e*f")).toBe('a%21b%27c%28d%29e%2Af');
  });

  it('throws a classified error for a throttled request before any event', async () => {
    upstream.reply = replyJson(
      429,
      { message: 'Too many requests, please wait before trying again.' },
      {
        'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/',
        'retry-after': '2',
      },
    );
    const received: CanonicalEvent[] = [];
    const error = await failure(
      createBedrockAdapter(config()).stream(request('us.amazon.nova-micro-v1:0'), context()),
      received,
    );
    expect(received).toEqual([]);
    expect(error.failureClass).toBe('rate_limit');
    expect(error.retryable).toBe(true);
    expect(error.status).toBe(429);
    expect(error.retryAfterMs).toBe(2000);
    expect(error.code).toBe('ThrottlingException');
    expect(error.message).toBe('aws: Too many requests, please wait before trying again.');
  });

  it('classifies the recorded 400 for an invalid model id', async () => {
    const recorded = loadCassette('bedrock-converse/pydantic-ai-bedrock_streaming_error.yaml')[0]!;
    upstream.reply = replyJson(recorded.response.status.code, recorded.response.parsed_body);
    const error = await failure(
      createBedrockAdapter(config()).stream(request('us.does-not-exist-model-v1:0'), context()),
    );
    expect(error.failureClass).toBe('invalid_request');
    expect(error.status).toBe(400);
    expect(error.message).toBe('aws: The provided model identifier is invalid.');
    expect(upstream.seen[0]!.url).toBe('/model/us.does-not-exist-model-v1%3A0/converse-stream');
  });

  it('ends a stream broken by an exception frame with a classified error, after the events before it', async () => {
    const codec = new EventStreamCodec(
      (bytes) => new TextDecoder().decode(bytes),
      (text) => new TextEncoder().encode(text),
    );
    const view = new DataView(THINKING_STREAM.buffer, THINKING_STREAM.byteOffset);
    const firstTwo = view.getUint32(0) + view.getUint32(view.getUint32(0));
    const exception = codec.encode({
      headers: {
        ':message-type': { type: 'string', value: 'exception' },
        ':exception-type': { type: 'string', value: 'serviceUnavailableException' },
        ':content-type': { type: 'string', value: 'application/json' },
      },
      body: new TextEncoder().encode('{"message":"Bedrock is unable to process your request."}'),
    });
    upstream.reply = replayEventStream(
      Uint8Array.from(Buffer.concat([THINKING_STREAM.subarray(0, firstTwo), exception])),
    );
    const received: CanonicalEvent[] = [];
    const error = await failure(
      createBedrockAdapter(config()).stream(request('us.anthropic.claude-sonnet-4-20250514-v1:0'), context()),
      received,
    );
    expect(received).toEqual([
      { type: 'response-start', id: 'req-abc' },
      { type: 'reasoning-delta', text: 'The' },
    ]);
    expect(error.failureClass).toBe('overloaded');
    expect(error.message).toBe('aws: Bedrock is unable to process your request.');
  });

  it('turns a corrupted frame into a classified error, not a crash', async () => {
    const corrupt = Uint8Array.from(THINKING_STREAM);
    corrupt[500]! ^= 0x01;
    upstream.reply = replayEventStream(corrupt);
    const error = await failure(
      createBedrockAdapter(config()).stream(request('us.anthropic.claude-sonnet-4-20250514-v1:0'), context()),
    );
    expect(error.failureClass).toBe('transient');
    expect(error.code).toBe('eventstream_corrupt');
    expect(error.message).toMatch(/^aws: corrupt event stream: /);
  });

  it('reads a whole Converse JSON answer when the endpoint does not stream', async () => {
    upstream.reply = replyJson(200, loadJson('bedrock-converse/vercel-amazon-bedrock-tool-no-args.json'));
    const response = await collectResponse(
      createBedrockAdapter(config()).stream(request('us.amazon.nova-micro-v1:0'), context()),
    );
    expect(response.content).toEqual([
      { type: 'text', text: "I'll update the issue list for you." },
      { type: 'tool-call', id: 'tool-use-id', name: 'updateIssueList', arguments: '{}' },
    ]);
    expect(response.finishReason).toBe('tool_calls');
  });

  it('derives the public endpoint from the region when no base_url is set', () => {
    expect(endpointFor('', 'eu-west-1')).toBe('https://bedrock-runtime.eu-west-1.amazonaws.com');
    expect(endpointFor('https://vpce-1.bedrock-runtime.us-east-1.vpce.amazonaws.com/', 'us-east-1')).toBe(
      'https://vpce-1.bedrock-runtime.us-east-1.vpce.amazonaws.com',
    );
  });

  it('reports its capabilities', () => {
    const adapter = createBedrockAdapter(config());
    expect(adapter.name).toBe('aws');
    expect(adapter.type).toBe('bedrock');
    expect(adapter.capabilities).toEqual({
      stream: true,
      tools: true,
      vision: true,
      documents: true,
      reasoning: true,
      jsonSchema: true,
      assistantPrefill: true,
    });
  });
});
