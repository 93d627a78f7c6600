/**
 * An Anthropic Messages client's thinking and effort settings on the paths that leave the byte relay: with
 * the response cache on, a Claude upstream gets the request rebuilt from the canonical model, and it must
 * say what the client said (adaptive thinking stays adaptive, an effort without thinking stays an effort,
 * `max` stays `max`). When a Claude target fails and the route fails over to an OpenAI target, the same
 * settings arrive as the nearest `reasoning_effort`. The thinking and effort settings are the recorded
 * pydantic-ai requests to claude-opus-4-6 (opus_46_features).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rawRequest } from '../support/chat-client.js';
import { serverWithKeys } from '../support/e2e-gateway.js';
import type { FaultUpstream } from '../support/fault-upstream.js';
import { startFaultUpstream } from '../support/fault-upstream.js';
import { loadCassette, requestJson } from '../support/fixtures.js';
import type { GatewayProcess } from '../support/gateway-process.js';
import { startGateway } from '../support/gateway-process.js';

const KEY = 'sk-reasoning-translated';

let upstream: FaultUpstream;
let gateway: GatewayProcess;

type Json = Record<string, unknown>;

/** The recorded request's thinking and output_config (the only reasoning fields it has). */
function recordedSettings(file: string): Json {
  const body = requestJson(loadCassette(`anthropic-messages/pydantic-ai-anthropic_${file}.yaml`)[0]!);
  const settings: Json = {};
  if (body.thinking !== undefined) settings.thinking = body.thinking;
  if (body.output_config !== undefined) settings.output_config = body.output_config;
  return settings;
}

const ADAPTIVE = recordedSettings('opus_46_features-adaptive-thinking');
const EFFORT_LOW = recordedSettings('opus_46_features-effort');

beforeAll(async () => {
  upstream = await startFaultUpstream();
  gateway = await startGateway({
    config: `${serverWithKeys({ client: KEY })}
[cache]
enabled = true
ttl = "10m"

[providers.claude]
type = "anthropic"
base_url = "${upstream.origin}"
api_key = "sk-ant-upstream"

[providers.oa]
type = "openai"
base_url = "${upstream.origin}/v1"
api_key = "sk-oa-upstream"

[[models]]
alias = "opus"
targets = ["claude/claude-opus-4-6"]

[[models]]
alias = "opus-then-gpt"
targets = ["claude/claude-opus-4-6", "oa/gpt-5"]
retries = 0
`,
  });
});

afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
});

beforeEach(() => upstream.reset());

let question = 0;
function messages(settings: Json, model: string, headers: Record<string, string> = {}) {
  question += 1;
  return rawRequest(`${gateway.baseURL}/v1/messages`, {
    body: {
      model,
      max_tokens: 4096,
      messages: [{ role: 'user', content: `Question ${question}: what is 2 + 2?` }],
      ...settings,
    },
    headers: { 'x-api-key': KEY, 'anthropic-version': '2023-06-01', ...headers },
  });
}

/** The upstream body's reasoning settings, in the recorded shape. */
function sentSettings(body: Json): Json {
  const settings: Json = {};
  if (body.thinking !== undefined) settings.thinking = body.thinking;
  if (body.output_config !== undefined) settings.output_config = body.output_config;
  return settings;
}

describe('Anthropic client thinking settings through the canonical model (cache on)', () => {
  it.each([
    ['adaptive thinking (recorded)', ADAPTIVE],
    ['an effort without thinking (recorded)', EFFORT_LOW],
    ['adaptive thinking at max effort', { thinking: { type: 'adaptive' }, output_config: { effort: 'max' } }],
    ['adaptive thinking, summarized', { thinking: { type: 'adaptive', display: 'summarized' } }],
    [
      'adaptive thinking at xhigh effort',
      { thinking: { type: 'adaptive' }, output_config: { effort: 'xhigh' } },
    ],
    ['thinking disabled', { thinking: { type: 'disabled' } }],
    [
      'a budget with an effort',
      { thinking: { type: 'enabled', budget_tokens: 3000 }, output_config: { effort: 'medium' } },
    ],
    ['a budget alone', { thinking: { type: 'enabled', budget_tokens: 3000 } }],
  ])('%s reaches Claude as the client sent it', async (_name, settings) => {
    const answer = await messages(settings, 'opus');
    expect(answer.status, answer.text).toBe(200);
    expect(answer.headers.get('x-junction-cache')).toBe('miss');
    expect(upstream.requests).toHaveLength(1);
    expect(upstream.requests[0]!.path).toBe('/v1/messages');
    expect(sentSettings(upstream.requests[0]!.body)).toEqual(settings);
  });

  it('xhigh and max are different requests, so they are different cache entries', async () => {
    question += 1;
    const ask = (effort: string) =>
      rawRequest(`${gateway.baseURL}/v1/messages`, {
        body: {
          model: 'opus',
          max_tokens: 4096,
          messages: [{ role: 'user', content: `Question ${question}: the same words` }],
          thinking: { type: 'adaptive' },
          output_config: { effort },
        },
        headers: { 'x-api-key': KEY, 'anthropic-version': '2023-06-01' },
      });
    expect((await ask('xhigh')).headers.get('x-junction-cache')).toBe('miss');
    expect((await ask('max')).headers.get('x-junction-cache')).toBe('miss');
    expect(upstream.requests).toHaveLength(2);
  });
});

describe('Anthropic client thinking settings on failover to an OpenAI target', () => {
  it.each([
    [
      'adaptive thinking at low effort',
      { thinking: { type: 'adaptive' }, output_config: { effort: 'low' } },
      'low',
    ],
    ['an effort without thinking', EFFORT_LOW, 'low'],
    ['max effort', { output_config: { effort: 'max' } }, 'max'],
    ['thinking disabled', { thinking: { type: 'disabled' } }, 'none'],
    ['a budget', { thinking: { type: 'enabled', budget_tokens: 3000 } }, 'low'],
    ['adaptive thinking without an effort (the model decides)', ADAPTIVE, undefined],
  ])('%s', async (_name, settings, effort) => {
    upstream.setScript((request) =>
      request.path === '/v1/messages' ? { status: 529, errorMessage: 'Overloaded' } : { pieces: ['4'] },
    );
    // no-store keeps the cache out of the way: the Claude attempt is relayed, the OpenAI one translated.
    const answer = await messages(settings, 'opus-then-gpt', { 'cache-control': 'no-store' });
    expect(answer.status, answer.text).toBe(200);
    const openai = upstream.requests.find((request) => request.path === '/v1/chat/completions');
    expect(openai?.body.reasoning_effort).toBe(effort);
  });
});
