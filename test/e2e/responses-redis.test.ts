/**
 * Two gateway processes sharing the real Redis (127.0.0.1:6379, a key prefix of their own) continue each
 * other's conversations: turn 1 on node A, turn 2 with previous_response_id on node B (the second
 * Anthropic request carries the history A stored), retrieve and input items across nodes, ownership
 * across nodes, a conversation created on one node and used on the other, and a background response
 * started on A and cancelled through B. A background response whose node stops is failed, never left
 * in_progress: at once when the node shuts down, after \`abandoned_after\` without a heartbeat when it dies.
 */
import { randomUUID } from 'node:crypto';
import type OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { redisAvailable, TEST_REDIS_URL } from '../../src/storage/testing/require-service.js';
import { serverWithKeys } from '../support/e2e-gateway.js';
import { loadCassette } from '../support/fixtures.js';
import type { GatewayProcess } from '../support/gateway-process.js';
import { startGateway } from '../support/gateway-process.js';
import { anthropicJsonAsSse } from '../support/matrix-reshape.js';
import type { MockUpstream } from '../support/mock-upstream.js';
import { startMockUpstream } from '../support/mock-upstream.js';
import { sseAnswer } from '../support/upstream-answers.js';
import { KEY_A, KEY_B, outputText, sdk } from './responses-support.js';

const TOOL_LOOP = loadCassette('anthropic-messages/pydantic-ai-anthropic_tool_with_thinking.yaml');
const TURN1 = TOOL_LOOP[0]!.response.parsed_body as Record<string, unknown>;
const TURN2 = TOOL_LOOP[1]!.response.parsed_body as Record<string, unknown>;
const CALL_ID = 'toolu_01YGzqpRE16Vricda3Aqcejo';
const MODEL = 'claude/claude-sonnet-4-0';
const TOOLS = [
  {
    type: 'function' as const,
    name: 'get_user_country',
    description: '',
    parameters: { additionalProperties: false, properties: {}, type: 'object' },
    strict: false,
  },
];

const available = await redisAvailable();
const PREFIX = `junction-e2e-${randomUUID()}:`;

let anthropic: MockUpstream;
let nodeA: GatewayProcess;
let nodeB: GatewayProcess;
let a: OpenAI;
let b: OpenAI;

function config(storeExtra = '', serverExtra = ''): string {
  return `${serverWithKeys({ 'team-a': KEY_A, 'team-b': KEY_B }, serverExtra)}
[providers.claude]
type = "anthropic"
base_url = "${anthropic.origin}"
api_key = "anthropic-upstream-key"

[store]
backend = "redis"
url = "env:STORE_REDIS_URL"
key_prefix = "${PREFIX}"
ttl = "1h"
${storeExtra}`;
}

describe.skipIf(!available)('responses: two gateway processes sharing Redis', () => {
  beforeAll(async () => {
    anthropic = await startMockUpstream();
    const env = { STORE_REDIS_URL: TEST_REDIS_URL };
    [nodeA, nodeB] = await Promise.all([
      startGateway({ config: config(), env }),
      startGateway({ config: config(), env }),
    ]);
    a = sdk(nodeA.baseURL, KEY_A);
    b = sdk(nodeB.baseURL, KEY_A);
  });
  afterAll(async () => {
    await nodeA?.stop();
    await nodeB?.stop();
    await anthropic?.close();
    const { Redis } = await import('ioredis');
    const redis = new Redis(TEST_REDIS_URL);
    const keys = await redis.keys(`${PREFIX}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });
  beforeEach(() => anthropic.reset());

  it('turn 1 on node A, turn 2 with previous_response_id on node B', async () => {
    anthropic.enqueue(sseAnswer(anthropicJsonAsSse(TURN1)));
    const first = await a.responses.create({
      model: MODEL,
      input: 'What is the largest city in the user country?',
      tools: TOOLS,
      stream: false,
    });
    expect(first.output.map((item) => item.type)).toEqual(['reasoning', 'message', 'function_call']);

    anthropic.enqueue(sseAnswer(anthropicJsonAsSse(TURN2)));
    const second = await b.responses.create({
      model: MODEL,
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: CALL_ID, output: 'Mexico' }],
      tools: TOOLS,
    });
    expect(outputText(second)).toContain('Mexico City');
    const messages = anthropic.lastBody().messages as Array<{ role: string; content: unknown }>;
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(messages[1]!.content).toEqual(TURN1.content);

    // Each node reads what the other stored; another key sees nothing on either.
    expect((await b.responses.retrieve(first.id)).output).toEqual(first.output);
    expect((await a.responses.retrieve(second.id)).output).toEqual(second.output);
    const items = await a.responses.inputItems.list(second.id, { order: 'asc' });
    expect(items.data.map((item) => item.type)).toEqual([
      'message',
      'reasoning',
      'message',
      'function_call',
      'function_call_output',
    ]);
    await expect(sdk(nodeB.baseURL, KEY_B).responses.retrieve(first.id)).rejects.toMatchObject({
      status: 404,
    });
    await b.responses.delete(first.id);
    await expect(a.responses.retrieve(first.id)).rejects.toMatchObject({ status: 404 });
  });

  it('a streamed turn on A is continued on B at once (stored before the stream ends)', async () => {
    anthropic.enqueue(sseAnswer(anthropicJsonAsSse(TURN1)));
    const stream = await a.responses.create({
      model: MODEL,
      input: 'What is the largest city in the user country?',
      tools: TOOLS,
      stream: true,
    });
    let id = '';
    for await (const event of stream) if (event.type === 'response.completed') id = event.response.id;
    anthropic.enqueue(sseAnswer(anthropicJsonAsSse(TURN2)));
    const second = await b.responses.create({
      model: MODEL,
      previous_response_id: id,
      input: [{ type: 'function_call_output', call_id: CALL_ID, output: 'Mexico' }],
      tools: TOOLS,
    });
    expect(second.status).toBe('completed');
  });

  it('a conversation created on A is continued on B', async () => {
    const conversation = await a.conversations.create({
      items: [{ type: 'message', role: 'user', content: 'I live in Mexico.' }],
    });
    anthropic.enqueue(sseAnswer(anthropicJsonAsSse(TURN2)));
    await b.responses.create({ model: MODEL, conversation: conversation.id, input: 'Largest city here?' });
    const items = await a.conversations.items.list(conversation.id, { order: 'asc' });
    expect(items.data.map((item) => item.type)).toEqual(['message', 'message', 'message']);
    expect(JSON.stringify(anthropic.lastBody().messages)).toContain('I live in Mexico.');
  });

  it('a background response started on A is cancelled through B', async () => {
    anthropic.enqueue(sseAnswer(anthropicJsonAsSse(TURN2), { delayMs: 400 }));
    const queued = await a.responses.create({ model: MODEL, input: 'hi', background: true });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const cancelled = await b.responses.cancel(queued.id);
    expect(cancelled.status).toBe('cancelled');
    // Node A notices within its polling interval and its final write does not undo the cancel.
    await new Promise((resolve) => setTimeout(resolve, 3500));
    expect((await a.responses.retrieve(queued.id)).status).toBe('cancelled');
  });

  describe('a background response whose node stops', () => {
    const QUICK = 'abandoned_after = "1s"';
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    let reader: GatewayProcess;

    beforeAll(async () => {
      reader = await startGateway({ config: config(QUICK), env: { STORE_REDIS_URL: TEST_REDIS_URL } });
    });
    afterAll(async () => {
      await reader?.stop();
    });

    /** Starts a slow background response on a node of its own and waits until it runs. */
    async function runningOnNewNode(serverExtra = ''): Promise<{ node: GatewayProcess; id: string }> {
      const node = await startGateway({
        config: config(QUICK, serverExtra),
        env: { STORE_REDIS_URL: TEST_REDIS_URL },
      });
      anthropic.enqueue(sseAnswer(anthropicJsonAsSse(TURN2), { delayMs: 1_000 }));
      const queued = await sdk(node.baseURL, KEY_A).responses.create({
        model: MODEL,
        input: 'hi',
        background: true,
      });
      const r = sdk(reader.baseURL, KEY_A);
      for (let i = 0; i < 50 && (await r.responses.retrieve(queued.id)).status !== 'in_progress'; i++)
        await sleep(100);
      expect((await r.responses.retrieve(queued.id)).status).toBe('in_progress');
      return { node, id: queued.id };
    }

    it('is stored as failed when the node shuts down before it could finish', async () => {
      const { node, id } = await runningOnNewNode('shutdown_grace = "1s"');
      node.signal('SIGTERM');
      expect(await node.exited()).toBe(0);
      const response = await sdk(reader.baseURL, KEY_A).responses.retrieve(id);
      expect(response.status).toBe('failed');
      expect(response.error).toMatchObject({
        code: 'server_error',
        message: 'The gateway shut down before this background response finished',
      });
    });

    it('finishes within the shutdown grace: the node exits only once it is stored as completed', async () => {
      const { node, id } = await runningOnNewNode();
      node.signal('SIGTERM');
      expect(await node.exited()).toBe(0);
      expect((await sdk(reader.baseURL, KEY_A).responses.retrieve(id)).status).toBe('completed');
    });

    it('keeps running while its node beats, and is failed by a reader once the node died', async () => {
      const { node, id } = await runningOnNewNode();
      const r = sdk(reader.baseURL, KEY_A);
      // Longer than abandoned_after: the heartbeat keeps a live run from being declared dead.
      await sleep(1_600);
      expect((await r.responses.retrieve(id)).status).toBe('in_progress');
      await node.kill();
      expect((await r.responses.retrieve(id)).status).toBe('in_progress');
      await sleep(1_300);
      const response = await r.responses.retrieve(id);
      expect(response.status).toBe('failed');
      expect(response.error).toMatchObject({
        code: 'server_error',
        message: 'The gateway instance running this background response stopped before it finished',
      });
      // The verdict is stored: a cancel now is refused like for any finished response.
      await expect(r.responses.cancel(id)).rejects.toMatchObject({ status: 400 });
    });
  });
});
