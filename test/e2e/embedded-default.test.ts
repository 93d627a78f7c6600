/**
 * `junction` with no config file: the embedded default. Echo works at once without auth; a provider key
 * in the environment (with its base URL pointed at a mock) switches that provider on as `openai/<model>`.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../support/chat-client.js';
import { loadJson } from '../support/fixtures.js';
import type { GatewayProcess } from '../support/gateway-process.js';
import { freePort, startGateway } from '../support/gateway-process.js';
import type { MockUpstream } from '../support/mock-upstream.js';
import { startMockUpstream } from '../support/mock-upstream.js';
import { jsonFixtureAnswer } from '../support/upstream-answers.js';

const started: GatewayProcess[] = [];
let mock: MockUpstream;

beforeAll(async () => {
  mock = await startMockUpstream();
});

afterAll(async () => {
  await Promise.all(started.map((gateway) => gateway.stop()));
  await mock?.close();
});

async function embedded(
  env: Record<string, string | undefined>,
): Promise<{ gateway: GatewayProcess; port: number }> {
  const port = await freePort();
  const gateway = await startGateway({ args: ['--listen', `127.0.0.1:${port}`], env });
  started.push(gateway);
  return { gateway, port };
}

describe('embedded default configuration', () => {
  it('no config, no provider keys: listens on --listen, and model "echo" answers without auth', async () => {
    const { gateway, port } = await embedded({});
    expect(gateway.baseURL).toBe(`http://127.0.0.1:${port}`);
    const response = await rawRequest(`${gateway.baseURL}/v1/chat/completions`, {
      body: { model: 'echo', messages: [{ role: 'user', content: 'ping from a fresh clone' }] },
    });
    expect(response.status).toBe(200);
    const body = response.json as { choices: Array<{ message: { content: string } }> };
    expect(body.choices[0]!.message.content).toBe('ping from a fresh clone');

    const models = await rawRequest(`${gateway.baseURL}/v1/models`);
    expect(models.status).toBe(200);
    const ids = (models.json as { data: Array<{ id: string }> }).data.map((model) => model.id);
    expect(ids).toContain('echo');
    expect(ids.some((id) => id.startsWith('openai'))).toBe(false);

    const openai = await rawRequest(`${gateway.baseURL}/v1/chat/completions`, {
      body: { model: 'openai/gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(openai.status).toBe(404);
  });

  it('keeps its files in ./.junction-data only: the usage log and the governance state', async () => {
    const { gateway } = await embedded({});
    const dataDir = join(gateway.workDir, '.junction-data');
    expect(readdirSync(gateway.workDir)).toEqual(['.junction-data']);
    // Both files are opened before the gateway listens.
    const files = readdirSync(dataDir).map((file) => file.replace(/-(wal|shm)$/, ''));
    expect([...new Set(files)].sort()).toEqual(['state.db', 'usage.db']);
  });

  it('OPENAI_API_KEY + OPENAI_BASE_URL: openai/gpt-4.1-mini reaches that upstream with that key', async () => {
    const { gateway } = await embedded({ OPENAI_API_KEY: 'sk-x', OPENAI_BASE_URL: `${mock.origin}/v1` });
    mock.enqueue(jsonFixtureAnswer('openai-chat/vercel-openai-text.json'));
    // Any key works: the embedded default has no client keys and auth off on loopback.
    const client = new OpenAI({ baseURL: `${gateway.baseURL}/v1`, apiKey: 'unused', maxRetries: 0 });
    const completion = await client.chat.completions.create({
      model: 'openai/gpt-4.1-mini',
      messages: [{ role: 'user', content: 'Invent a holiday.' }],
    });
    const fixture = loadJson('openai-chat/vercel-openai-text.json') as {
      choices: Array<{ message: { content: string } }>;
    };
    expect(completion.choices[0]!.message.content).toBe(fixture.choices[0]!.message.content);

    const upstream = mock.last();
    expect(upstream.path).toBe('/v1/chat/completions');
    expect(upstream.headers.authorization).toBe('Bearer sk-x');
    expect(mock.lastBody()).toEqual({
      model: 'gpt-4.1-mini',
      messages: [{ role: 'user', content: 'Invent a holiday.' }],
    });

    const echo = await client.chat.completions.create({
      model: 'echo',
      messages: [{ role: 'user', content: 'still echo' }],
    });
    expect(echo.choices[0]!.message.content).toBe('still echo');
  });
});
