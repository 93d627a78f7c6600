/**
 * An alias's default `reasoning_effort` (OpenAI's field name in `[[models]] defaults`) reaches Claude when
 * an Anthropic client is relayed to it, in Anthropic's terms for the model the route picked: a thinking
 * budget on Claude 4.5, adaptive thinking with an output effort on Claude 4.7, exactly as on the translated
 * path (an alias with `resume_streams` always translates). The client's own `thinking` or
 * `output_config.effort` wins: then the body goes upstream as the client sent it.
 */
import { randomUUID } from 'node:crypto';
import type Anthropic from '@anthropic-ai/sdk';
import { beforeAll, describe, expect, it } from 'vitest';
import { anthropicClient } from '../support/chat-client.js';
import { serverWithKeys, useGatewayWithMock } from '../support/e2e-gateway.js';
import { cassetteAnswer, cassetteJson, jsonAnswer } from '../support/upstream-answers.js';

const CLIENT_KEY = 'jk-anthropic-alias-reasoning';
/** Claude: signed thinking and the answer (non-stream), and the same streamed. */
const CLAUDE_THINKING = 'anthropic-messages/pydantic-ai-anthropic_model_thinking_part.yaml';
const CLAUDE_THINKING_STREAM = 'anthropic-messages/pydantic-ai-anthropic_model_thinking_part_stream.yaml';

const { mock, gateway } = useGatewayWithMock((upstream) => ({
  config: `${serverWithKeys({ 'team-a': CLIENT_KEY })}
[providers.claude]
type = "anthropic"
base_url = "${upstream.origin}"
api_key = "anthropic-upstream-key"

[[models]]
alias = "thinker"
targets = ["claude/claude-sonnet-4-5"]
defaults = { reasoning_effort = "high" }

[[models]]
alias = "thinker-translated"
targets = ["claude/claude-sonnet-4-5"]
defaults = { reasoning_effort = "high" }
resume_streams = true

[[models]]
alias = "adaptive"
targets = ["claude/claude-opus-4-7"]
defaults = { reasoning_effort = "medium" }

[[models]]
alias = "quiet"
targets = ["claude/claude-sonnet-4-5"]
defaults = { reasoning_effort = "none" }
`,
}));
let client: Anthropic;

beforeAll(() => {
  client = anthropicClient(gateway.baseURL, CLIENT_KEY);
});

const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'How do I cross the street?' }];

async function sent(params: Anthropic.MessageCreateParamsNonStreaming): Promise<Record<string, unknown>> {
  mock.enqueue(jsonAnswer(cassetteJson(CLAUDE_THINKING, 0)));
  const requestId = `e2e-${randomUUID()}`;
  const answer = await client.messages.create(params, { headers: { 'x-request-id': requestId } });
  expect(answer.content.map((b) => b.type)).toEqual(['thinking', 'text']);
  expect((await gateway.usageRecord(requestId)).fastPath).toBe(true);
  return mock.lastBody();
}

describe('anthropic relay: an alias default reasoning_effort', () => {
  it('Claude 4.5: thinking with the ladder budget for the rung, max_tokens raised above it, temperature left out, as the translated path sends it', async () => {
    const relayed = await sent({ model: 'thinker', max_tokens: 4096, temperature: 0.5, messages });
    expect(relayed).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 4096 + 16384,
      messages,
      thinking: { type: 'enabled', budget_tokens: 16384 },
    });

    // The translated path (resume_streams) sends the same reasoning fields.
    mock.enqueue(cassetteAnswer(CLAUDE_THINKING_STREAM, 0));
    await client.messages.create({
      model: 'thinker-translated',
      max_tokens: 4096,
      temperature: 0.5,
      messages,
    });
    const translated = mock.lastBody();
    expect(translated.thinking).toEqual(relayed.thinking);
    expect(translated.max_tokens).toBe(relayed.max_tokens);
    expect(translated).not.toHaveProperty('temperature');
  });

  it('Claude 4.7 takes only adaptive thinking: adaptive at the rung as output effort', async () => {
    const relayed = await sent({ model: 'adaptive', max_tokens: 4096, messages });
    expect(relayed).toEqual({
      model: 'claude-opus-4-7',
      max_tokens: 4096,
      messages,
      thinking: { type: 'adaptive' },
      output_config: { effort: 'medium' },
    });
  });

  it('a default of none switches thinking off', async () => {
    mock.enqueue(jsonAnswer(cassetteJson(CLAUDE_THINKING, 0)));
    await client.messages.create({ model: 'quiet', max_tokens: 100, messages });
    expect(mock.lastBody().thinking).toEqual({ type: 'disabled' });
  });

  it('the client own thinking or output effort wins: the body goes upstream as sent, model aside', async () => {
    for (const own of [
      { thinking: { type: 'enabled' as const, budget_tokens: 1024 } },
      { output_config: { effort: 'low' as const } },
    ]) {
      const params = { model: 'thinker', max_tokens: 4096, messages, ...own };
      await sent(params);
      expect(mock.last().rawBody).toBe(
        JSON.stringify(params).replace('"model":"thinker"', '"model":"claude-sonnet-4-5"'),
      );
    }
  });
});
