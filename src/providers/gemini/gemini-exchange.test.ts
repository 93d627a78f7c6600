import { describe, expect, it } from 'vitest';
import { byteChunks, chunksToSse } from '../../../test/support/fixtures.js';
import type { ProviderRequest } from '../../core/canonical-request.js';
import { collectResponse } from '../../core/collect-response.js';
import { parseSse } from '../shared/sse.js';
import { convertToGeminiRequest } from './convert-to-gemini-request.js';
import { geminiExchange } from './gemini-exchange.js';

const request: ProviderRequest = {
  model: 'gemini/gemini-2.5-flash',
  upstreamModel: 'gemini-2.5-flash',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Label it.' }] }],
  tools: [
    {
      name: 'label',
      parameters: { type: 'object', properties: { labels: { type: 'object' } }, required: ['labels'] },
    },
  ],
  stream: true,
};

const answer = chunksToSse([
  {
    candidates: [
      {
        content: {
          role: 'model',
          parts: [{ functionCall: { name: 'label', args: { labels: '{"env":"prod"}' } } }],
        },
        finishReason: 'STOP',
      },
    ],
  },
]);

describe('geminiExchange', () => {
  it('sends the converted body and parses the JSON-text arguments of that body back into objects', async () => {
    const exchange = geminiExchange(request, { provider: 'gemini' });
    expect(exchange.body).toEqual(convertToGeminiRequest(request));
    const response = await collectResponse(exchange.decode(parseSse(byteChunks(answer, 16))));
    const call = response.content.find((part) => part.type === 'tool-call');
    expect(call?.type === 'tool-call' && JSON.parse(call.arguments)).toEqual({ labels: { env: 'prod' } });
  });

  it('tells each warn it is given what the conversion left out', () => {
    const warnings: string[] = [];
    const warn = (w: string) => warnings.push(w);
    const exchange = geminiExchange({ ...request, parallelToolCalls: false }, { provider: 'gemini' });
    expect(warnings).toHaveLength(0);
    exchange.warn(warn);
    expect(warnings).toHaveLength(1);
    exchange.warn(warn);
    expect(warnings).toHaveLength(2);
    geminiExchange(request, { provider: 'gemini' }).warn(warn);
    expect(warnings).toHaveLength(2);
  });

  it('passes the API’s options to the conversion', () => {
    const strict = { ...request, tools: request.tools?.map((tool) => ({ ...tool, strict: true })) };
    const mode = (validatedMode?: boolean) =>
      geminiExchange(strict, {
        provider: 'gemini',
        ...(validatedMode === undefined ? {} : { validatedMode }),
      }).body.toolConfig?.functionCallingConfig.mode;
    expect(mode()).toBe('VALIDATED');
    expect(mode(false)).toBeUndefined();
  });
});
