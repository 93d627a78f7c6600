import { describe, expect, it } from 'vitest';
import { loadCassette, loadJson } from '../../../test/support/fixtures.js';
import type { CanonicalEvent } from '../../core/canonical-events.js';
import { collectResponse } from '../../core/collect-response.js';
import { GatewayError } from '../../core/errors.js';
import { converseResponseEvents } from './converse-response-events.js';

async function* iterate(events: CanonicalEvent[]): AsyncGenerator<CanonicalEvent> {
  yield* events;
}

const collect = (body: unknown) =>
  collectResponse(iterate(converseResponseEvents(body, { responseId: 'r-1' })));
const cassetteBody = (file: string, interaction = 0) =>
  loadCassette(`bedrock-converse/${file}`)[interaction]!.response.parsed_body;

describe('converseResponseEvents on recorded Converse answers', () => {
  it('text with usage (vercel-amazon-bedrock-text.json)', async () => {
    const response = await collect(loadJson('bedrock-converse/vercel-amazon-bedrock-text.json'));
    expect(response).toEqual({
      id: 'r-1',
      content: [
        {
          type: 'text',
          text: 'Let me count the "r"s in "strawberry":\n\ns-t-**r**-a-w-b-e-**r**-**r**-y\n\nThere are **3** "r"s in "strawberry."',
        },
      ],
      finishReason: 'stop',
      rawFinishReason: 'end_turn',
      usage: { inputTokens: 22, outputTokens: 57, cachedInputTokens: 0, cacheWriteTokens: 0 },
    });
  });

  it('reasoning text with its signature (vercel-amazon-bedrock-reasoning.json)', async () => {
    const response = await collect(loadJson('bedrock-converse/vercel-amazon-bedrock-reasoning.json'));
    expect(response.content).toEqual([
      {
        type: 'reasoning',
        text: 'Let me count the r\'s in "strawberry":\n\ns-t-r-a-w-b-e-r-r-y\n\nThere are 3 r\'s.',
        signature:
          'EvYBCkgICxABGAIqQA9E9VC377UnbjdfXCw4RwQaaIXsqocZKzI3WwWtXT/wBjzAkBOfIiVkP/mhvsPGb5oQW/2j+E1tZcNFoXIb26YSDBTSbDrbHwXJoAl3/hoMA/Qo4rIHvObP/yBrIjAT+l69mh9k7evFO+w+ransSD5YGq4hYrieOyJH3k/zHv8nBJwiz3Nlrb3jNFi2Ib0qXJH7BIK0hR85yYIoccReoJUpeLEMxeWbsO6f0EpOSMSi3YDLd1U9NAw7Itjeay1fEBPHwvawt2M4e/rn52SsuEz3p2DfOZm+N3bnL63rg0Cb9lFcp3k5kuU1h6hcGAE=',
      },
      { type: 'text', text: 'There are **3** r\'s in "strawberry":\n\n1. st**r**awbe**r****r**y' },
    ]);
  });

  it('tool calls carry their input as a JSON text (vercel tool-call / tool-no-args)', async () => {
    const call = await collect(loadJson('bedrock-converse/vercel-amazon-bedrock-tool-call.1.json'));
    const noArgs = await collect(loadJson('bedrock-converse/vercel-amazon-bedrock-tool-no-args.json'));
    expect(call.content.filter((part) => part.type === 'tool-call')).toHaveLength(1);
    expect(call.finishReason).toBe('tool_calls');
    expect(noArgs.content).toEqual([
      { type: 'text', text: "I'll update the issue list for you." },
      { type: 'tool-call', id: 'tool-use-id', name: 'updateIssueList', arguments: '{}' },
    ]);
  });

  it('cache writes and reads (pydantic-ai cache cassette)', async () => {
    const write = await collect(cassetteBody('pydantic-ai-bedrock_cache_write_and_read.yaml', 0));
    const read = await collect(cassetteBody('pydantic-ai-bedrock_cache_write_and_read.yaml', 1));
    expect(write.usage).toEqual({
      inputTokens: 1324,
      outputTokens: 5,
      cachedInputTokens: 0,
      cacheWriteTokens: 1322,
    });
    expect(read.usage).toEqual({
      inputTokens: 1324,
      outputTokens: 5,
      cachedInputTokens: 1322,
      cacheWriteTokens: 0,
    });
    expect(read.content).toEqual([{ type: 'text', text: '21' }]);
  });

  it('reasoning, text and a tool call from Claude with thinking', async () => {
    const response = await collect(cassetteBody('pydantic-ai-bedrock_anthropic_tool_with_thinking.yaml'));
    expect(response.content.map((part) => part.type)).toEqual(['reasoning', 'text', 'tool-call']);
    expect(response.content[0]).toMatchObject({
      signature: expect.stringMatching(
        /^ErcBCkgIBhABGAIiQDYN\+P1S3ACL3r24cAMKCrRNiuPPxvmT2uzREPLRyKEU.*GAI=$/,
      ),
    });
    expect(response.content[2]).toEqual({
      type: 'tool-call',
      id: 'tooluse_W9DaUFg4Tj2cRPpndqxWSg',
      name: 'get_user_country',
      arguments: '{}',
    });
  });

  it('leaves out server tool calls and their results (Nova code interpreter)', async () => {
    const response = await collect(cassetteBody('pydantic-ai-bedrock_model_with_code_execution_tool.yaml'));
    expect(response.content).toEqual([
      {
        type: 'tool-call',
        id: 'tooluse_DaRsVjwcShCI_3pOsIsWqg',
        name: 'final_result',
        arguments: '{"result":7006652}',
      },
    ]);
  });

  it('rejects a body that is not a Converse answer', () => {
    expect(() => converseResponseEvents({ message: 'nope' }, { provider: 'aws' })).toThrow(GatewayError);
  });
});
