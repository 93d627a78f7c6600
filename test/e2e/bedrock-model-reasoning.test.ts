/**
 * Reasoning for non-Claude models on Bedrock, through the real gateway (translated path, SigV4-signed
 * Converse requests to a loopback mock answering with recorded Converse bodies). Amazon Nova 2 and OpenAI
 * gpt-oss get their own fields in `additionalModelRequestFields`; DeepSeek-R1 reasons on its own; a model
 * that does not reason is a 400 naming the client's field, before any upstream request.
 */
import type Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { anthropicClient, openaiClient, validMessage } from '../support/chat-client.js';
import { serverWithKeys, useGatewayWithMock } from '../support/e2e-gateway.js';
import { loadJson } from '../support/fixtures.js';
import { cassetteJson, jsonAnswer } from '../support/upstream-answers.js';

const CLIENT_KEY = 'jk-bedrock-model-reasoning';
/** DeepSeek-R1 on Bedrock: reasoning content and the answer, asked for nothing about reasoning. */
const DEEPSEEK = 'bedrock-converse/pydantic-ai-bedrock_model_thinking_part_deepseek.yaml';
const TEXT = 'bedrock-converse/vercel-amazon-bedrock-text.json';

const { mock, gateway } = useGatewayWithMock((upstream) => ({
  config: `${serverWithKeys({ 'team-a': CLIENT_KEY })}
[providers.aws]
type = "bedrock"
base_url = "${upstream.origin}"
region = "us-east-1"
access_key_id = "AKIAEXAMPLEJUNCTION01"
secret_access_key = "junctionTestSecretAccessKeyExample/0123"
`,
}));
let client: OpenAI;
let anthropic: Anthropic;

beforeAll(() => {
  client = openaiClient(gateway.baseURL, CLIENT_KEY);
  anthropic = anthropicClient(gateway.baseURL, CLIENT_KEY);
});

const messages = [{ role: 'user' as const, content: 'How do I cross the street?' }];

describe('bedrock: reasoning on non-Claude models', () => {
  it('Amazon Nova 2: reasoning_effort becomes reasoningConfig at that effort, max_tokens kept below high', async () => {
    mock.enqueue(jsonAnswer(loadJson(TEXT)));
    const completion = await client.chat.completions.create({
      model: 'aws/us.amazon.nova-2-lite-v1:0',
      messages,
      reasoning_effort: 'medium',
      max_tokens: 500,
    });
    expect(validMessage(completion).content).toContain('strawberry');
    expect(mock.last().path).toBe('/model/us.amazon.nova-2-lite-v1%3A0/converse-stream');
    expect(mock.last().headers.authorization).toMatch(/^AWS4-HMAC-SHA256 /);
    const body = mock.lastBody();
    expect(body.additionalModelRequestFields).toEqual({
      reasoningConfig: { type: 'enabled', maxReasoningEffort: 'medium' },
    });
    expect(body.inferenceConfig).toEqual({ maxTokens: 500 });
  });

  it('Amazon Nova 2 at high: maxTokens is left out (Nova refuses it there), and the client is told', async () => {
    mock.enqueue(jsonAnswer(loadJson(TEXT)));
    const { response } = await client.chat.completions
      .create({
        model: 'aws/us.amazon.nova-2-lite-v1:0',
        messages,
        reasoning_effort: 'high',
        max_tokens: 500,
      })
      .withResponse();
    const body = mock.lastBody();
    expect(body.additionalModelRequestFields).toEqual({
      reasoningConfig: { type: 'enabled', maxReasoningEffort: 'high' },
    });
    expect(body).not.toHaveProperty('inferenceConfig');
    expect(response.headers.get('x-junction-warning')).toContain('max_tokens');
  });

  it('OpenAI gpt-oss: reasoning_effort in additionalModelRequestFields', async () => {
    mock.enqueue(jsonAnswer(loadJson(TEXT)));
    await client.chat.completions.create({
      model: 'aws/openai.gpt-oss-120b-1:0',
      messages,
      reasoning_effort: 'high',
    });
    expect(mock.lastBody().additionalModelRequestFields).toEqual({ reasoning_effort: 'high' });
  });

  it('DeepSeek-R1 reasons unasked: its recorded reasoning reaches the client; an effort is not sent, and the client is told', async () => {
    mock.enqueue(jsonAnswer(cassetteJson(DEEPSEEK, 0)));
    const { data, response } = await client.chat.completions
      .create({ model: 'aws/us.deepseek.r1-v1:0', messages, reasoning_effort: 'low' })
      .withResponse();
    const message = validMessage(data);
    expect(message.reasoning_content?.length).toBeGreaterThan(0);
    expect(mock.lastBody()).not.toHaveProperty('additionalModelRequestFields');
    expect(response.headers.get('x-junction-warning')).toContain('always reasons');
  });

  it('a model that does not reason: 400 naming the field as each client sent it, and no upstream request', async () => {
    mock.reset();
    const error = await client.chat.completions
      .create({ model: 'aws/us.meta.llama4-maverick-17b-instruct-v1:0', messages, reasoning_effort: 'low' })
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const bad = error as InstanceType<typeof OpenAI.BadRequestError>;
    expect(bad.param).toBe('reasoning_effort');
    expect(bad.code).toBe('unsupported_parameter');
    expect(bad.message).toContain('us.meta.llama4-maverick-17b-instruct-v1:0');

    const refused = await anthropic.messages
      .create({
        model: 'aws/us.meta.llama4-maverick-17b-instruct-v1:0',
        max_tokens: 4096,
        thinking: { type: 'enabled', budget_tokens: 1024 },
        messages,
      })
      .then(
        () => undefined,
        (caught: unknown) => caught as { status?: number; message?: string },
      );
    expect(refused?.status).toBe(400);
    expect(refused?.message).toMatch(/thinking/);
    expect(mock.requests).toHaveLength(0);

    // Thinking off asks the model for nothing it lacks.
    mock.enqueue(jsonAnswer(loadJson(TEXT)));
    await client.chat.completions.create({
      model: 'aws/us.meta.llama4-maverick-17b-instruct-v1:0',
      messages,
      reasoning_effort: 'none',
    });
    expect(mock.lastBody()).not.toHaveProperty('additionalModelRequestFields');
  });
});
