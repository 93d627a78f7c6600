import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath, loadCassette, requestJson } from '../../../test/support/fixtures.js';
import type { CanonicalMessage, CanonicalRequest, TextPart } from '../../core/canonical-request.js';
import { decodeCountTokensRequest } from './anthropic-count-tokens-request.js';
import { anthropicMessagesDialect } from './anthropic-messages-dialect.js';

const DIR = 'anthropic-messages';

/** Every Messages request body recorded in a cassette, in order (count_tokens calls left out). */
function recordedBodies(file: string): Array<Record<string, unknown>> {
  return loadCassette(`${DIR}/${file}`)
    .filter((interaction) => !interaction.request.uri.includes('/count_tokens'))
    .map(requestJson);
}

function decode(body: unknown) {
  return anthropicMessagesDialect.decodeRequest(body);
}

type Block = Record<string, unknown>;
type RecordedMessage = { role: string; content: string | Block[] };

function nonSystem(request: CanonicalRequest): CanonicalMessage[] {
  return request.messages.filter((message) => message.role !== 'system');
}

describe('decodes every recorded request of the Anthropic cassettes', () => {
  const files = readdirSync(fixturePath(DIR)).filter((file) => file.endsWith('.yaml'));
  it.each(files)('%s', (file) => {
    for (const interaction of loadCassette(`${DIR}/${file}`)) {
      const body = requestJson(interaction);
      if (interaction.request.uri.includes('/count_tokens')) {
        // count_tokens bodies carry no max_tokens.
        expect(decodeCountTokensRequest(body).canonical.model).toBe(body.model);
        continue;
      }
      const decoded = decode(body);
      expect(decoded.canonical.model).toBe(body.model);
      expect(decoded.canonical.maxOutputTokens).toBe(body.max_tokens);
      expect(decoded.canonical.stream).toBe(body.stream === true);
      expect(decoded.body).toBe(body);
    }
  });
});

describe('anthropic-messages -> canonical on recorded requests', () => {
  it('carries thinking signatures, tool_use ids and tool_result ids across the tool turn (tool_with_thinking)', () => {
    const bodies = recordedBodies('pydantic-ai-anthropic_tool_with_thinking.yaml');
    const second = bodies[1]!;
    const recorded = second.messages as RecordedMessage[];
    const recordedAssistant = recorded[1]!.content as Block[];
    const { canonical, unmodeled } = decode(second);
    expect(unmodeled).toEqual([]);
    expect(canonical.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
    expect(canonical.messages[1]!.content).toEqual([
      { type: 'reasoning', text: recordedAssistant[0]!.thinking, signature: recordedAssistant[0]!.signature },
      { type: 'text', text: recordedAssistant[1]!.text },
      { type: 'tool-call', id: 'toolu_01YGzqpRE16Vricda3Aqcejo', name: 'get_user_country', arguments: '{}' },
    ]);
    expect(canonical.messages[2]!.content).toEqual([
      {
        type: 'tool-result',
        toolCallId: 'toolu_01YGzqpRE16Vricda3Aqcejo',
        toolName: 'get_user_country',
        content: [{ type: 'text', text: 'Mexico' }],
      },
    ]);
    expect(canonical.reasoning).toEqual({ mode: 'enabled', budgetTokens: 3000 });
    expect(canonical.toolChoice).toEqual({ type: 'auto' });
    expect(canonical.tools).toEqual([
      {
        name: 'get_user_country',
        description: '',
        parameters: { additionalProperties: false, properties: {}, type: 'object' },
      },
    ]);
  });

  it('keeps the signature of a multi-turn thinking conversation (model_thinking_part)', () => {
    const [, second] = recordedBodies('pydantic-ai-anthropic_model_thinking_part.yaml');
    const assistant = (second!.messages as RecordedMessage[])[1]!.content as Block[];
    const { canonical } = decode(second);
    expect(canonical.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    const reasoning = canonical.messages[1]!.content[0]!;
    expect(reasoning).toEqual({
      type: 'reasoning',
      text: assistant[0]!.thinking,
      signature: assistant[0]!.signature,
    });
    expect((reasoning as { signature: string }).signature).toMatch(/^Eq8CCkYICxgCKkDdadQ/);
    expect(canonical.reasoning).toEqual({ mode: 'enabled', budgetTokens: 1024 });
  });

  it('accepts redacted_thinking back as opaque reasoning (model_thinking_part_redacted)', () => {
    const bodies = recordedBodies('pydantic-ai-anthropic_model_thinking_part_redacted.yaml');
    const withHistory = bodies.find((body) => (body.messages as unknown[]).length > 1)!;
    const recorded = (withHistory.messages as RecordedMessage[])[1]!.content as Block[];
    const redacted = recorded.filter((block) => block.type === 'redacted_thinking');
    expect(redacted.length).toBeGreaterThan(0);
    const { canonical } = decode(withHistory);
    const parts = canonical.messages[1]!.content.filter(
      (part) => part.type === 'reasoning' && part.redactedData,
    );
    expect(parts).toEqual(
      redacted.map((block) => ({ type: 'reasoning', text: '', redactedData: block.data })),
    );
  });

  it('turns four parallel tool_results into one tool message, ids in order (multiple_parallel_tool_calls)', () => {
    const [first, second] = recordedBodies('pydantic-ai-anthropic-multiple_parallel_tool_calls.yaml');
    const first0 = decode(first);
    expect(first0.canonical.messages[0]).toEqual({
      role: 'system',
      content: [{ type: 'text', text: first!.system }],
    });
    const { canonical } = decode(second);
    const recordedCalls = ((second!.messages as RecordedMessage[])[1]!.content as Block[]).filter(
      (b) => b.type === 'tool_use',
    );
    expect(canonical.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool']);
    const calls = canonical.messages[2]!.content.filter((part) => part.type === 'tool-call');
    expect(calls).toEqual(
      recordedCalls.map((call) => ({
        type: 'tool-call',
        id: call.id,
        name: call.name,
        arguments: JSON.stringify(call.input),
      })),
    );
    const results = canonical.messages[3]!.content;
    expect(
      results.map((r) => (r.type === 'tool-result' ? [r.toolCallId, r.toolName, r.content] : [])),
    ).toEqual([
      [
        'toolu_0167cfEnoQaPviGdVXA95zcu',
        'retrieve_entity_info',
        [{ type: 'text', text: "alice is bob's wife" }],
      ],
      [
        'toolu_01EEe2V5HD1Ac4rKiUR4HD2T',
        'retrieve_entity_info',
        [{ type: 'text', text: "bob is alice's husband" }],
      ],
      [
        'toolu_01XFyAjstT3966qvRynZyVPo',
        'retrieve_entity_info',
        [{ type: 'text', text: "charlie is alice's son" }],
      ],
      [
        'toolu_013mnQZbgtK2oe3Mo3XKJsx3',
        'retrieve_entity_info',
        [{ type: 'text', text: "daisy is bob's daughter and charlie's younger sister" }],
      ],
    ]);
  });

  it('hoists system and puts top-level automatic cache_control on the last text (cache_real_api)', () => {
    for (const body of recordedBodies('pydantic-ai-anthropic_cache_real_api.yaml')) {
      const { canonical, unmodeled } = decode(body);
      expect(unmodeled).toEqual([]);
      expect(canonical.messages[0]).toEqual({
        role: 'system',
        content: [{ type: 'text', text: 'You are a helpful assistant.' }],
      });
      const recorded = body.messages as RecordedMessage[];
      const last = canonical.messages.at(-1)!;
      expect(last.role).toBe('user');
      expect(last.content.at(-1)).toEqual({
        type: 'text',
        text: (recorded.at(-1)!.content as Block[]).at(-1)!.text,
        cacheControl: { type: 'ephemeral', ttl: '5m' },
      });
      // Only the last block gets the breakpoint.
      const others = canonical.messages.slice(0, -1).flatMap((m) => m.content as TextPart[]);
      expect(others.every((part) => part.cacheControl === undefined)).toBe(true);
    }
  });

  it('decodes URL images and URL documents (image_url_input, document_url_input)', () => {
    const [image] = recordedBodies('pydantic-ai-anthropic-image_url_input.yaml');
    expect(decode(image).canonical.messages[0]!.content).toEqual([
      { type: 'text', text: 'What is this vegetable?' },
      {
        type: 'image',
        source: {
          kind: 'url',
          url: 'https://t3.ftcdn.net/jpg/00/85/79/92/360_F_85799278_0BBGV9OAdQDTLnKwAPBCcg1J7QtiieJY.jpg',
        },
      },
    ]);
    const [document] = recordedBodies('pydantic-ai-anthropic-document_url_input.yaml');
    expect(decode(document).canonical.messages[0]!.content).toEqual([
      { type: 'text', text: 'What is the main content on this document?' },
      { type: 'file', source: { kind: 'url', url: 'https://pdfobject.com/pdf/sample.pdf' } },
    ]);
  });

  it('keeps output_config.effort and adaptive thinking apart from each other (opus_46_features)', () => {
    const [effort] = recordedBodies('pydantic-ai-anthropic_opus_46_features-effort.yaml');
    expect(effort!.output_config).toEqual({ effort: 'low' });
    expect(decode(effort).canonical.reasoning).toEqual({ mode: 'unset', effort: 'low' });
    const [adaptive] = recordedBodies('pydantic-ai-anthropic_opus_46_features-adaptive-thinking.yaml');
    expect(decode(adaptive).canonical.reasoning).toEqual({ mode: 'adaptive' });
    const [xhigh] = recordedBodies(
      'pydantic-ai-anthropic_explicit_effort_xhigh_unsupported_model_errors.yaml',
    );
    expect(decode(xhigh).canonical.reasoning).toEqual({ mode: 'unset', effort: 'xhigh' });
  });

  it.each([
    ['pydantic-ai-tool_choice_matrix-auto-anthropic.yaml', { type: 'auto' }],
    ['pydantic-ai-tool_choice_matrix-none-anthropic.yaml', { type: 'none' }],
    ['pydantic-ai-tool_choice_matrix-required-anthropic.yaml', { type: 'required' }],
  ])('maps tool_choice of %s', (file, expected) => {
    for (const body of recordedBodies(file)) {
      const { canonical } = decode(body);
      expect(canonical.toolChoice).toEqual(expected);
      expect(canonical.parallelToolCalls).toBeUndefined();
      expect(canonical.tools?.map((t) => t.name)).toEqual(['get_weather']);
      expect(canonical.tools![0]!.parameters).toEqual((body.tools as Block[])[0]!.input_schema);
    }
  });

  it('keeps tool ids through the auto tool_choice round trip (tool_choice_matrix-auto)', () => {
    const [, second] = recordedBodies('pydantic-ai-tool_choice_matrix-auto-anthropic.yaml');
    const { canonical } = decode(second);
    expect(nonSystem(canonical).map((m) => m.content)).toEqual([
      [{ type: 'text', text: "What's the weather in Paris?" }],
      [
        {
          type: 'tool-call',
          id: 'toolu_01WN4AuToBnJyXNQXwQBBebj',
          name: 'get_weather',
          arguments: '{"city":"Paris"}',
        },
      ],
      [
        {
          type: 'tool-result',
          toolCallId: 'toolu_01WN4AuToBnJyXNQXwQBBebj',
          toolName: 'get_weather',
          content: [{ type: 'text', text: 'Sunny, 22C in Paris' }],
        },
      ],
    ]);
  });

  it('maps output_config.format json_schema to a json_schema response format (native_output)', () => {
    const [body] = recordedBodies('pydantic-ai-anthropic-no_tools_native_output_strict_true.yaml');
    const format = (body!.output_config as { format: { schema: Record<string, unknown> } }).format;
    expect(decode(body).canonical.responseFormat).toEqual({
      type: 'json_schema',
      name: 'response',
      schema: format.schema,
    });
  });

  it('reports server tools, server blocks and mcp_servers as unmodeled (recorded server-tool requests)', () => {
    const [webSearch] = recordedBodies('pydantic-ai-anthropic_model_web_search_tool_stream.yaml');
    expect(decode(webSearch).unmodeled).toEqual(['tools[0] (type web_search_20250305)']);
    const [mcp] = recordedBodies('pydantic-ai-anthropic_mcp_servers_stream.yaml');
    expect(decode(mcp).unmodeled).toContain('mcp_servers');
    const search = recordedBodies('pydantic-ai-anthropic_native_tool_search_streaming.yaml');
    const unmodeled = search.flatMap((body) => decode(body).unmodeled);
    expect(
      unmodeled.some((field) => /^tools\[\d+\] \(type tool_search_tool_bm25_20251119\)$/.test(field)),
    ).toBe(true);
    expect(
      unmodeled.some((field) => /^messages\[\d+\]\.content\[\d+\] \(type server_tool_use\)$/.test(field)),
    ).toBe(true);
    expect(unmodeled.some((field) => /\(type tool_search_tool_result\)$/.test(field))).toBe(true);
    expect(unmodeled.some((field) => /^tools\[\d+\]\.defer_loading$/.test(field))).toBe(true);
  });
});

describe('anthropic-messages -> canonical on edge cases the cassettes lack', () => {
  const base = { model: 'm', max_tokens: 100 };

  it('splits tool_results from the other blocks of a user message, order kept, with error and image results', () => {
    const { canonical } = decode({
      ...base,
      messages: [
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'shot', input: { a: 1 } }] },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 't1',
              is_error: true,
              cache_control: { type: 'ephemeral' },
              content: [
                { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBOR' } },
                { type: 'text', text: 'failed' },
              ],
            },
            { type: 'text', text: 'and now?' },
            {
              type: 'document',
              title: 'notes',
              source: { type: 'text', media_type: 'text/plain', data: 'héllo' },
            },
          ],
        },
      ],
    });
    expect(canonical.messages).toEqual([
      { role: 'assistant', content: [{ type: 'tool-call', id: 't1', name: 'shot', arguments: '{"a":1}' }] },
      {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: 't1',
            toolName: 'shot',
            isError: true,
            content: [
              { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBOR' } },
              { type: 'text', text: 'failed', cacheControl: { type: 'ephemeral' } },
            ],
          },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'and now?' },
          {
            type: 'file',
            filename: 'notes',
            source: {
              kind: 'base64',
              mediaType: 'text/plain',
              data: Buffer.from('héllo').toString('base64'),
            },
          },
        ],
      },
    ]);
  });

  it('maps system blocks with cache_control, stop_sequences, sampling, metadata and parallel tool use', () => {
    const { canonical, unmodeled } = decode({
      ...base,
      system: [{ type: 'text', text: 'be brief', cache_control: { type: 'ephemeral', ttl: '1h' } }],
      messages: [{ role: 'user', content: 'hi' }],
      tools: [
        { name: 'f', input_schema: { type: 'object' }, cache_control: { type: 'ephemeral' }, strict: true },
      ],
      tool_choice: { type: 'tool', name: 'f', disable_parallel_tool_use: true },
      stop_sequences: ['END'],
      temperature: 0.5,
      top_p: 0.9,
      top_k: 40,
      metadata: { user_id: 'u-1' },
      stream: true,
      service_tier: 'auto',
    });
    expect(unmodeled).toEqual([]);
    expect(canonical).toEqual({
      model: 'm',
      maxOutputTokens: 100,
      stream: true,
      messages: [
        {
          role: 'system',
          content: [{ type: 'text', text: 'be brief', cacheControl: { type: 'ephemeral', ttl: '1h' } }],
        },
        { role: 'user', content: [{ type: 'text', text: 'hi' }] },
      ],
      tools: [
        { name: 'f', parameters: { type: 'object' }, strict: true, cacheControl: { type: 'ephemeral' } },
      ],
      toolChoice: { type: 'tool', name: 'f' },
      parallelToolCalls: false,
      stop: ['END'],
      temperature: 0.5,
      topP: 0.9,
      topK: 40,
      user: 'u-1',
    });
  });

  it.each([
    [{ thinking: { type: 'enabled', budget_tokens: 20000 } }, { mode: 'enabled', budgetTokens: 20000 }],
    [
      { thinking: { type: 'enabled', budget_tokens: 4000 }, output_config: { effort: 'max' } },
      { mode: 'enabled', budgetTokens: 4000, effort: 'max' },
    ],
    [
      { thinking: { type: 'adaptive' }, output_config: { effort: 'high' } },
      { mode: 'adaptive', effort: 'high' },
    ],
    [{ thinking: { type: 'adaptive' } }, { mode: 'adaptive' }],
    [{ thinking: { type: 'adaptive', display: 'summarized' } }, { mode: 'adaptive', display: 'summarized' }],
    [
      { thinking: { type: 'enabled', budget_tokens: 2000, display: 'omitted' } },
      { mode: 'enabled', budgetTokens: 2000, display: 'omitted' },
    ],
    [{ thinking: { type: 'disabled' } }, { mode: 'disabled' }],
    [
      { thinking: { type: 'disabled' }, output_config: { effort: 'low' } },
      { mode: 'disabled', effort: 'low' },
    ],
    [{ output_config: { effort: 'medium' } }, { mode: 'unset', effort: 'medium' }],
    [{}, undefined],
  ])('maps %j to reasoning %j', (fields, reasoning) => {
    const { canonical } = decode({ ...base, messages: [{ role: 'user', content: 'x' }], ...fields });
    expect(canonical.reasoning).toEqual(reasoning);
  });

  it('accepts the output_format beta spelling of structured outputs', () => {
    const { canonical } = decode({
      ...base,
      messages: [{ role: 'user', content: 'x' }],
      output_format: { type: 'json_schema', schema: { type: 'object' } },
    });
    expect(canonical.responseFormat).toEqual({
      type: 'json_schema',
      name: 'response',
      schema: { type: 'object' },
    });
  });

  it('accepts response blocks echoed back with response-only fields, and drops empty signatures', () => {
    const { canonical } = decode({
      ...base,
      messages: [
        { role: 'user', content: 'x' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'hmm', signature: '' },
            { type: 'text', text: 'ok', citations: null },
            { type: 'tool_use', id: 't', name: 'f', input: {}, caller: { type: 'direct' } },
          ],
        },
      ],
    });
    expect(canonical.messages[1]!.content).toEqual([
      { type: 'reasoning', text: 'hmm' },
      { type: 'text', text: 'ok' },
      { type: 'tool-call', id: 't', name: 'f', arguments: '{}' },
    ]);
  });

  it('a thinking.display value Junction does not model is unmodeled, not dropped', () => {
    const { unmodeled, canonical } = decode({
      ...base,
      messages: [{ role: 'user', content: 'x' }],
      thinking: { type: 'adaptive', display: 'updates' },
    });
    expect(unmodeled).toEqual(['thinking.display (updates)']);
    expect(canonical.reasoning).toEqual({ mode: 'adaptive' });
  });

  it('lists unmodeled fields: unknown top-level keys, file sources, document context, programmatic callers', () => {
    const { unmodeled } = decode({
      ...base,
      context_management: { edits: [] },
      container: 'cntr_1',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'file', file_id: 'file_1' } },
            { type: 'document', source: { type: 'url', url: 'https://x/y.pdf' }, context: 'a contract' },
            { type: 'search_result', source: 's', title: 't', content: [] },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'tool_use', id: 't', name: 'f', input: {}, caller: { type: 'code_execution_20250825' } },
          ],
        },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 't',
              content: [{ type: 'document', source: { type: 'url', url: 'u' } }],
            },
          ],
        },
      ],
      thinking: { type: 'between_tools' },
    });
    expect(unmodeled.sort()).toEqual(
      [
        'context_management',
        'container',
        'thinking (type between_tools)',
        'messages[0].content[0].source (type file)',
        'messages[0].content[1].context',
        'messages[0].content[2] (type search_result)',
        'messages[1].content[0].caller (type code_execution_20250825)',
        'messages[2].content[0].content[0] (type document)',
      ].sort(),
    );
  });
});
