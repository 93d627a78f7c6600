import { describe, expect, it } from 'vitest';
import { loadCassette, requestJson } from '../../../test/support/fixtures.js';
import { expectValidAgainstSpec } from '../../../test/support/openapi.js';
import { GatewayError } from '../../core/errors.js';
import { decodeContinuation, ENVELOPE_PREFIX, encodeContinuation } from './continuation-envelope.js';
import { assertBuiltInToolsSupported, findBuiltInTools } from './openai-responses-built-in-tools.js';
import { openAIResponsesDialect } from './openai-responses-dialect.js';
import { resolveItemReferences, toItemResources } from './openai-responses-items.js';
import { inlineHistoryForPassthrough, prepareOpenAIPassthrough } from './prepare-openai-passthrough.js';

type Json = Record<string, unknown>;

describe('continuation envelope', () => {
  it('round-trips every field and is recognisably Junction-made', () => {
    const data = {
      signature: 'sig/+=',
      redactedData: 'r',
      encryptedContent: 'gAAAA',
      providerData: { gemini: { thoughtSignature: 'g' } },
      target: { type: 'function_call' as const, call_id: 'call_1' },
    };
    const encoded = encodeContinuation(data);
    expect(encoded.startsWith(ENVELOPE_PREFIX)).toBe(true);
    expect(encoded.slice(ENVELOPE_PREFIX.length)).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeContinuation(encoded)).toEqual(data);
  });

  it('leaves anything else alone', () => {
    expect(decodeContinuation('gAAAAABpPDIV')).toBeUndefined();
    expect(decodeContinuation('jx1.@@@not-base64')).toBeUndefined();
    expect(decodeContinuation(`jx1.${Buffer.from('{"v":2}').toString('base64url')}`)).toBeUndefined();
  });
});

describe('built-in tools', () => {
  const [first] = loadCassette('openai-responses/pydantic-ai-openai_responses_model_web_search_tool.yaml');
  const { builtInTools } = openAIResponsesDialect.decodeRequest(requestJson(first!));

  it('are found with their position', () => {
    expect(builtInTools).toEqual([
      { index: 0, type: 'web_search', definition: expect.objectContaining({ type: 'web_search' }) },
    ]);
    expect(findBuiltInTools([{ type: 'function', name: 'f' }])).toEqual([]);
  });

  it('run on OpenAI Responses upstreams and are a 400 naming tool and provider elsewhere', () => {
    expect(() => assertBuiltInToolsSupported(builtInTools, 'openai')).not.toThrow();
    expect(() => assertBuiltInToolsSupported([], 'anthropic')).not.toThrow();
    let error: unknown;
    try {
      assertBuiltInToolsSupported(builtInTools, 'anthropic', 'claude-prod');
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ status: 400, failureClass: 'unsupported', param: 'tools[0]' });
    expect((error as Error).message).toContain("'web_search'");
    expect((error as Error).message).toContain('claude-prod (anthropic)');
  });
});

describe('items for the store', () => {
  it('gives recorded input items ids and the ItemResource shape', () => {
    const [, second] = loadCassette('openai-responses/pydantic-ai-openai_responses-tool_output.yaml');
    const { inputItems } = openAIResponsesDialect.decodeRequest(requestJson(second!));
    const resources = toItemResources(inputItems);
    expect(resources.map((r) => r.type)).toEqual([
      'message',
      'message',
      'function_call',
      'function_call_output',
    ]);
    expect(resources[0]).toMatchObject({
      role: 'user',
      status: 'completed',
      content: [{ type: 'input_text' }],
    });
    expect(resources[1]).toMatchObject({
      role: 'assistant',
      content: [{ type: 'output_text', text: '', annotations: [], logprobs: [] }],
    });
    expect(resources[2]!.id).toMatch(/^fc_/);
    expect(resources[3]!.id).toMatch(/^fco_/);
    expectValidAgainstSpec('ResponseItemList', {
      object: 'list',
      data: resources,
      has_more: false,
      first_id: resources[0]!.id,
      last_id: resources.at(-1)!.id,
    });
  });

  it('keeps the ids clients sent', () => {
    const [, second] = loadCassette(
      'openai-responses/pydantic-ai-openai_responses_thinking_with_tool_calls.yaml',
    );
    const body = requestJson(second!);
    const resources = toItemResources(openAIResponsesDialect.decodeRequest(body).inputItems);
    const reasoning = (body.input as Json[]).find((i) => i.type === 'reasoning')!;
    expect(resources.find((r) => r.type === 'reasoning')).toEqual(reasoning);
  });

  it('resolves item references or names the missing one', () => {
    const stored = { type: 'message' as const, role: 'user' as const, content: 'from before', id: 'msg_1' };
    const items = openAIResponsesDialect.decodeRequest({
      model: 'm',
      input: [
        { type: 'item_reference', id: 'msg_1' },
        { role: 'user', content: 'now' },
      ],
    }).inputItems;
    const resolved = resolveItemReferences(items, (id) => (id === 'msg_1' ? stored : undefined));
    expect(resolved[0]).toBe(stored);
    expect(() =>
      resolveItemReferences([{ type: 'user' }, { type: 'item_reference', id: 'msg_x' }], () => undefined),
    ).toThrow(/input\[1\].*msg_x/);
  });
});

describe('OpenAI passthrough', () => {
  const junction = {
    id: 'rs_j',
    type: 'reasoning',
    summary: [{ type: 'summary_text', text: 't' }],
    encrypted_content: encodeContinuation({ signature: 's' }),
  };
  const wrapped = {
    id: 'rs_w',
    type: 'reasoning',
    summary: [],
    encrypted_content: encodeContinuation({
      encryptedContent: 'gAAAA-inner',
      providerData: { gemini: { thoughtSignature: 'g' } },
    }),
  };
  const openai = { id: 'rs_o', type: 'reasoning', summary: [], encrypted_content: 'gAAAA-own' };

  it('drops Junction reasoning items, unwraps wrapped OpenAI blobs, keeps the rest', () => {
    const body = {
      model: 'gpt',
      input: [
        { role: 'user', content: 'q' },
        junction,
        wrapped,
        openai,
        { type: 'web_search_call', id: 'ws' },
      ],
    };
    expect(prepareOpenAIPassthrough(body).input).toEqual([
      { role: 'user', content: 'q' },
      { ...wrapped, encrypted_content: 'gAAAA-inner' },
      openai,
      { type: 'web_search_call', id: 'ws' },
    ]);
    const clean = { model: 'gpt', input: [openai] };
    expect(prepareOpenAIPassthrough(clean)).toBe(clean);
  });

  it('inlines stored history and drops the Junction-side state fields', () => {
    const body = { model: 'gpt', input: 'next', previous_response_id: 'resp_j', store: false };
    expect(inlineHistoryForPassthrough(body, [{ role: 'user', content: 'q' }, junction])).toEqual({
      model: 'gpt',
      store: false,
      input: [
        { role: 'user', content: 'q' },
        { role: 'user', content: 'next' },
      ],
    });
  });
});
