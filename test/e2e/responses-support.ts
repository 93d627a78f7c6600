/**
 * Shared by the responses-*.test.ts suites: a gateway with Anthropic, Gemini and OpenAI mock upstreams,
 * official-SDK clients, stream collection with spec validation of every event and the final Response.
 */
import OpenAI from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { expect } from 'vitest';
import type { GatewayProcess } from '../support/gateway-process.js';
import { startGateway } from '../support/gateway-process.js';
import type { MockUpstream } from '../support/mock-upstream.js';
import { startMockUpstream } from '../support/mock-upstream.js';
import { expectValidAgainstSpec } from '../support/openapi.js';

export const KEY_A = 'jk-responses-team-a';
export const KEY_B = 'jk-responses-team-b';

export interface ResponsesWorld {
  anthropic: MockUpstream;
  gemini: MockUpstream;
  openai: MockUpstream;
  gateway: GatewayProcess;
  /** The SDK as team-a. */
  client: OpenAI;
  /** The SDK as team-b (another key: must not see team-a's state). */
  other: OpenAI;
  stop(): Promise<void>;
}

/** `extra` is appended to the config (more [[models]], a [store] table). */
export async function startResponsesWorld(extra = ''): Promise<ResponsesWorld> {
  const [anthropic, gemini, openai] = await Promise.all([
    startMockUpstream(),
    startMockUpstream(),
    startMockUpstream(),
  ]);
  const gateway = await startGateway({
    config: `
[server]
listen = "127.0.0.1:0"
require_auth = true

[[keys]]
name = "team-a"
key = "${KEY_A}"

[[keys]]
name = "team-b"
key = "${KEY_B}"

[providers.claude]
type = "anthropic"
base_url = "${anthropic.origin}"
api_key = "anthropic-upstream-key"

[providers.gem]
type = "gemini"
base_url = "${gemini.origin}"
api_key = "gemini-upstream-key"

[providers.oai]
type = "openai"
base_url = "${openai.origin}/v1"
api_key = "sk-openai-upstream-key"
${extra}
`,
  });
  return {
    anthropic,
    gemini,
    openai,
    gateway,
    client: sdk(gateway.baseURL, KEY_A),
    other: sdk(gateway.baseURL, KEY_B),
    stop: async () => {
      await gateway.stop();
      await Promise.all([anthropic.close(), gemini.close(), openai.close()]);
    },
  };
}

export function sdk(baseURL: string, apiKey: string): OpenAI {
  return new OpenAI({ baseURL: `${baseURL}/v1`, apiKey, maxRetries: 0, timeout: 15_000 });
}

/**
 * Every event of a streamed create, each validated against the spec's ResponseStreamEvent unless
 * `validate` is false (relayed OpenAI recordings predate the spec in places: `user: null`, no
 * `cache_write_tokens`; the fast path passes OpenAI's bytes on as they are).
 */
export async function collectStream(
  stream: AsyncIterable<ResponseStreamEvent>,
  validate = true,
): Promise<ResponseStreamEvent[]> {
  const events: ResponseStreamEvent[] = [];
  for await (const event of stream) {
    if (validate) expectValidAgainstSpec('ResponseStreamEvent', event);
    events.push(event);
  }
  const sequence = events.map((event) => event.sequence_number);
  expect(sequence).toEqual([...sequence].sort((a, b) => a - b));
  return events;
}

/** The Response a stream ended with (response.completed / incomplete / failed). */
export function finalResponse(events: readonly ResponseStreamEvent[]): OpenAI.Responses.Response {
  const last = [...events]
    .reverse()
    .find(
      (event) =>
        event.type === 'response.completed' ||
        event.type === 'response.incomplete' ||
        event.type === 'response.failed',
    );
  if (!last || !('response' in last))
    throw new Error(`no terminal event in ${events.map((e) => e.type).join(', ')}`);
  return last.response;
}

export function outputText(response: OpenAI.Responses.Response): string {
  return response.output
    .flatMap((item) => (item.type === 'message' ? item.content : []))
    .map((part) => (part.type === 'output_text' ? part.text : ''))
    .join('');
}

/** A raw JSON call to the gateway (for what the SDK does not expose). */
export async function rawJson(
  world: ResponsesWorld,
  method: string,
  path: string,
  body?: unknown,
  key = KEY_A,
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${world.gateway.baseURL}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
    headers: response.headers,
  };
}
