/**
 * `GET /v1/models` and `GET /v1/models/{id}` through both official SDKs: OpenAI's list and model objects
 * (validated against the OpenAPI spec), Anthropic's ModelInfo pages walked with its cursor pagination, ids
 * with a "/" retrievable, unknown ids a 404 in each dialect's envelope, a limited key seeing only its models.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { anthropicClient, openaiClient, rawRequest } from '../support/chat-client.js';
import { serverWithKeys, useGateway } from '../support/e2e-gateway.js';
import { expectValidAgainstSpec } from '../support/openapi.js';

const KEY = 'jk-models-all';
const LIMITED = 'jk-models-limited';

const gateway = useGateway(() => ({
  config: `${serverWithKeys({ all: KEY })}
[[keys]]
name = "limited"
key = "${LIMITED}"
models = ["fast*"]

[usage]
enabled = false

[providers.echo]
type = "echo"

[[models]]
alias = "fast"
targets = ["echo/fast-1"]

[[models]]
alias = "fast-mini"
targets = ["echo/fast-mini-1"]

[[models]]
alias = "premium"
targets = ["echo/premium-1", "echo/fast-1"]
`,
}));

const ALL = ['fast', 'fast-mini', 'premium', 'echo/fast-1', 'echo/fast-mini-1', 'echo/premium-1'];

describe('OpenAI SDK', () => {
  it('lists every model in the OpenAI list shape, valid against the spec', async () => {
    const page = await openaiClient(gateway.baseURL, KEY).models.list();
    expect(page.data.map((model) => model.id)).toEqual(ALL);
    const raw = await rawRequest(`${gateway.baseURL}/v1/models`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    expectValidAgainstSpec('ListModelsResponse', raw.json);
  });

  it('retrieves an alias and a provider/model id; an unknown id is a NotFoundError', async () => {
    const client = openaiClient(gateway.baseURL, KEY);
    expect(await client.models.retrieve('fast')).toMatchObject({
      id: 'fast',
      object: 'model',
      owned_by: 'junction',
    });
    expect(await client.models.retrieve('echo/premium-1')).toMatchObject({
      id: 'echo/premium-1',
      owned_by: 'echo',
    });
    const raw = await rawRequest(`${gateway.baseURL}/v1/models/echo/fast-1`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(raw.status).toBe(200);
    expectValidAgainstSpec('Model', raw.json);
    await expect(client.models.retrieve('nope')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('a key limited to "fast*" sees exactly the models it may call', async () => {
    const client = openaiClient(gateway.baseURL, LIMITED);
    const listed = (await client.models.list()).data.map((model) => model.id);
    expect(listed).toEqual(['fast', 'fast-mini']);
    for (const id of ALL) {
      const call = client.chat.completions.create({ model: id, messages: [{ role: 'user', content: 'hi' }] });
      if (listed.includes(id)) expect((await call).choices[0]!.message.content).toBe('hi');
      else await expect(call).rejects.toBeInstanceOf(OpenAI.PermissionDeniedError);
    }
    await expect(client.models.retrieve('premium')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });
});

describe('Anthropic SDK', () => {
  it('walks the ModelInfo pages with its cursor pagination', async () => {
    const client = anthropicClient(gateway.baseURL, KEY);
    const first = await client.models.list({ limit: 4 });
    expect(first.data.map((model) => model.id)).toEqual(ALL.slice(0, 4));
    expect(first.has_more).toBe(true);
    expect(first.data[0]).toMatchObject({ type: 'model', id: 'fast', display_name: 'fast' });
    expect(Number.isNaN(Date.parse(first.data[0]!.created_at))).toBe(false);
    const ids: string[] = [];
    for await (const model of client.models.list({ limit: 4 })) ids.push(model.id);
    expect(ids).toEqual(ALL);
    const before = await client.models.list({ limit: 2, before_id: 'echo/fast-1' });
    expect(before.data.map((model) => model.id)).toEqual(['fast-mini', 'premium']);
    expect(before.has_more).toBe(true);
  });

  it('retrieves a model; an unknown one is a NotFoundError in the Anthropic envelope', async () => {
    const client = anthropicClient(gateway.baseURL, KEY);
    expect(await client.models.retrieve('echo/fast-mini-1')).toMatchObject({
      type: 'model',
      id: 'echo/fast-mini-1',
    });
    const error = await client.models.retrieve('nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
    expect((error as InstanceType<typeof Anthropic.NotFoundError>).error).toMatchObject({
      type: 'error',
      error: { type: 'not_found_error' },
    });
  });

  it('a bad limit is a 400, no key a 401, both in the Anthropic envelope', async () => {
    const headers = { 'x-api-key': KEY, 'anthropic-version': '2023-06-01' };
    const bad = await rawRequest(`${gateway.baseURL}/v1/models?limit=0`, { headers });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    const anonymous = await rawRequest(`${gateway.baseURL}/v1/models`, {
      headers: { 'anthropic-version': '2023-06-01' },
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.json).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
  });
});
