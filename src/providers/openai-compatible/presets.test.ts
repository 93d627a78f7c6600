import { describe, expect, it } from 'vitest';
import { chunksToSse, loadCassette, loadChunks, responseText } from '../../../test/support/fixtures.js';
import type { Reply } from '../../../test/support/local-upstream.js';
import { relayedText, replyWith, useLocalUpstream } from '../../../test/support/local-upstream.js';
import { callContext, providerConfig } from '../../../test/support/provider-config.js';
import { PRESET_BASE_URLS, PRESET_TYPES, type PresetType } from '../../config/config-schema.js';
import { parseConfig } from '../../config/load-config.js';
import type { CanonicalEvent } from '../../core/canonical-events.js';
import type { ProviderRequest } from '../../core/canonical-request.js';
import { type CanonicalResponse, ResponseCollector } from '../../core/collect-response.js';
import { GatewayError } from '../../core/errors.js';
import type { CallContext, ProviderConfig } from '../provider-adapter.js';
import { createPresetAdapter, PRESETS } from './presets.js';

const upstream = useLocalUpstream();

/** The body in two writes, so it reaches the client in pieces. */
function inHalves(status: number, contentType: string, body: string): Reply {
  const half = Math.floor(body.length / 2);
  return replyWith({
    status,
    headers: { 'content-type': contentType, 'x-request-id': 'req_1' },
    body,
    pieces: [half, body.length - half],
  });
}

const sse = (body: string): Reply => inHalves(200, 'text/event-stream', body);
const vercelSse = (file: string): Reply => sse(chunksToSse(loadChunks(file), { done: true }));

function configFor(type: PresetType, name: string = type): ProviderConfig {
  return providerConfig({
    name,
    type,
    baseUrl: `${upstream.origin}/v1`,
    apiKeys: type === 'lmstudio' ? [] : [`key-${type}`],
    maxConnections: 2,
  });
}

function contextWith(warnings: string[]): CallContext {
  return callContext({ warn: (message) => warnings.push(message) });
}

function request(upstreamModel: string, extra: Partial<ProviderRequest> = {}): ProviderRequest {
  return {
    model: `p/${upstreamModel}`,
    upstreamModel,
    messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
    stream: true,
    ...extra,
  };
}

interface Run {
  events: CanonicalEvent[];
  response: CanonicalResponse;
  sent: Record<string, unknown>;
  warnings: string[];
}

async function run(type: PresetType, req: ProviderRequest): Promise<Run> {
  const warnings: string[] = [];
  const collector = new ResponseCollector();
  const events: CanonicalEvent[] = [];
  for await (const event of createPresetAdapter(configFor(type)).stream(req, contextWith(warnings))) {
    events.push(event);
    collector.add(event);
  }
  return { events, response: collector.response, sent: JSON.parse(upstream.last().body), warnings };
}

/** The oracle: one delta field joined across vercel chunks. */
function joined(file: string, field: string): string {
  let out = '';
  for (const chunk of loadChunks(file) as Array<{ choices?: Array<{ delta?: Record<string, unknown> }> }>) {
    for (const choice of chunk.choices ?? []) {
      const value = choice.delta?.[field];
      if (typeof value === 'string') out += value;
    }
  }
  return out;
}

/** A non-stream chat.completion as the one SSE chunk that carries all of it (message -> delta). */
function completionAsSse(body: unknown): string {
  const completion = body as { choices: Array<{ message: unknown; finish_reason: string; index: number }> };
  const chunk = {
    ...completion,
    object: 'chat.completion.chunk',
    choices: completion.choices.map((c) => ({
      index: c.index,
      delta: c.message,
      finish_reason: c.finish_reason,
    })),
  };
  return `data: ${JSON.stringify(chunk)}\n\ndata: [DONE]\n\n`;
}

describe('recorded streams through the presets', () => {
  it('deepseek: reasoning_content then text, usage with cache hits (vercel-deepseek-reasoning)', async () => {
    const file = 'openai-chat/vercel-deepseek-reasoning.chunks.txt';
    upstream.reply = vercelSse(file);
    const { response, sent } = await run('deepseek', request('deepseek-reasoner', { maxOutputTokens: 300 }));
    const reasoning = joined(file, 'reasoning_content');
    const text = joined(file, 'content');
    expect(reasoning).toHaveLength(606);
    expect(text).toBe('The word "strawberry" contains three "r"s.');
    expect(response.content).toEqual([
      { type: 'reasoning', text: reasoning },
      { type: 'text', text },
    ]);
    expect(response.usage).toEqual({
      inputTokens: 18,
      outputTokens: 219,
      cachedInputTokens: 0,
      reasoningTokens: 205,
    });
    expect(response.finishReason).toBe('stop');
    // DeepSeek names the limit max_tokens.
    expect(sent.max_tokens).toBe(300);
    expect(sent).not.toHaveProperty('max_completion_tokens');
  });

  it('deepseek: reasoning then a streamed tool call (vercel-deepseek-tool-call)', async () => {
    upstream.reply = vercelSse('openai-chat/vercel-deepseek-tool-call.chunks.txt');
    const { response } = await run('deepseek', request('deepseek-reasoner'));
    expect(response.content.map((p) => p.type)).toEqual(['reasoning', 'tool-call']);
    expect(response.content[1]).toEqual({
      type: 'tool-call',
      id: 'call_00_ioIn7yN9p1ZOMNpDLwd4MgAF',
      name: 'weather',
      arguments: '{"location": "San Francisco"}',
    });
    expect(response.finishReason).toBe('tool_calls');
    expect(response.usage).toEqual({
      inputTokens: 339,
      outputTokens: 83,
      cachedInputTokens: 320,
      reasoningTokens: 39,
    });
  });

  it('deepseek: a length-limited text stream (vercel-deepseek-text)', async () => {
    const file = 'openai-chat/vercel-deepseek-text.chunks.txt';
    upstream.reply = vercelSse(file);
    const { response } = await run('deepseek', request('deepseek-chat'));
    expect(response.content).toEqual([{ type: 'text', text: joined(file, 'content') }]);
    expect(joined(file, 'content').startsWith('## **Holiday Name:** Starlight Remembrance')).toBe(true);
    expect(response.finishReason).toBe('length');
    expect(response.usage).toEqual({ inputTokens: 13, outputTokens: 400, cachedInputTokens: 0 });
  });

  it('groq qwen3: `reasoning` field, asked for with reasoning_format parsed (vercel-groq-reasoning)', async () => {
    const file = 'openai-chat/vercel-groq-reasoning.chunks.txt';
    upstream.reply = vercelSse(file);
    const { response, sent, warnings } = await run(
      'groq',
      request('qwen/qwen3-32b', { reasoning: { mode: 'enabled', effort: 'medium' } }),
    );
    expect(sent.reasoning_format).toBe('parsed');
    expect(sent.reasoning_effort).toBe('default');
    expect(warnings).toEqual([]);
    const reasoning = joined(file, 'reasoning');
    expect(reasoning.startsWith('Okay, let me try to figure out how many')).toBe(true);
    expect(response.content).toEqual([
      { type: 'reasoning', text: reasoning },
      { type: 'text', text: joined(file, 'content') },
    ]);
    // usage and x_groq.usage carry the same numbers; counted once.
    expect(response.usage).toEqual({ inputTokens: 17, outputTokens: 1107, reasoningTokens: 963 });
  });

  it('groq: tool call and plain text (vercel-groq-tool-call, vercel-groq-text)', async () => {
    upstream.reply = vercelSse('openai-chat/vercel-groq-tool-call.chunks.txt');
    const tool = await run('groq', request('llama-3.3-70b-versatile'));
    expect(tool.response.content).toEqual([
      { type: 'tool-call', id: 'tk85n1k4m', name: 'weather', arguments: '{}' },
    ]);
    expect(tool.response.finishReason).toBe('tool_calls');
    expect(tool.response.usage).toEqual({ inputTokens: 210, outputTokens: 15 });

    const file = 'openai-chat/vercel-groq-text.chunks.txt';
    upstream.reply = vercelSse(file);
    const text = await run('groq', request('llama-3.3-70b-versatile'));
    expect(joined(file, 'content').startsWith('Introducing "Luminaria"')).toBe(true);
    expect(text.response.content).toEqual([{ type: 'text', text: joined(file, 'content') }]);
    expect(text.response.usage).toEqual({ inputTokens: 45, outputTokens: 662 });
    // No reasoning asked of a non-reasoning model: nothing added, nothing stripped.
    expect(text.sent).not.toHaveProperty('reasoning_format');
    expect(text.warnings).toEqual([]);
  });

  it('xai grok-3-mini: reasoning_content, and reasoning tokens counted into output (vercel-xai-text)', async () => {
    upstream.reply = vercelSse('openai-chat/vercel-xai-text.chunks.txt');
    const { response, sent } = await run(
      'xai',
      request('grok-3-mini', { reasoning: { mode: 'enabled', effort: 'medium' } }),
    );
    expect(sent.reasoning_effort).toBe('high');
    expect(response.content).toEqual([
      { type: 'reasoning', text: 'First, the user said' },
      { type: 'text', text: 'Hello' },
    ]);
    // xAI reports reasoning beside completion_tokens: 12 + 1 + 290 = total_tokens 303.
    expect(response.usage).toEqual({
      inputTokens: 12,
      outputTokens: 291,
      cachedInputTokens: 11,
      reasoningTokens: 290,
    });
  });

  it('xai: tool call after reasoning (vercel-xai-tool-call, vercel-openai-compatible-xai-*)', async () => {
    upstream.reply = vercelSse('openai-chat/vercel-xai-tool-call.chunks.txt');
    const tool = await run('xai', request('grok-3-mini'));
    expect(tool.response.content.at(-1)).toEqual({
      type: 'tool-call',
      id: 'call_55117580',
      name: 'weather',
      arguments: '{"location":"San Francisco"}',
    });
    expect(tool.response.usage).toEqual({
      inputTokens: 291,
      outputTokens: 222,
      cachedInputTokens: 290,
      reasoningTokens: 196,
    });

    const file = 'openai-chat/vercel-openai-compatible-xai-text.chunks.txt';
    upstream.reply = vercelSse(file);
    const long = await run('xai', request('grok-3-mini'));
    expect(long.response.content).toEqual([
      { type: 'reasoning', text: joined(file, 'reasoning_content') },
      { type: 'text', text: joined(file, 'content') },
    ]);
    expect(long.response.usage).toEqual({
      inputTokens: 12,
      outputTokens: 342,
      cachedInputTokens: 11,
      reasoningTokens: 340,
    });
  });

  it('perplexity: cumulative usage on every chunk, the last one wins (vercel-perplexity-*)', async () => {
    upstream.reply = vercelSse('openai-chat/vercel-perplexity-citations.chunks.txt');
    const citations = await run('perplexity', request('sonar'));
    expect(citations.response.content).toEqual([
      { type: 'text', text: 'The current population of **[2][3]' },
    ]);
    expect(citations.response.usage).toEqual({ inputTokens: 10, outputTokens: 336 });
    expect(citations.response.finishReason).toBe('stop');

    upstream.reply = vercelSse('openai-chat/vercel-perplexity-text.chunks.txt');
    const text = await run('perplexity', request('sonar'));
    expect(text.response.content).toEqual([{ type: 'text', text: '**EcoVista Day**[1][5]' }]);
    expect(text.response.usage).toEqual({ inputTokens: 11, outputTokens: 434 });
  });

  it('openrouter: reasoning asked as reasoning.effort; reasoning_details text once, signature kept (raw SSE)', async () => {
    upstream.reply = sse(
      responseText(loadCassette('openai-chat/pydantic-ai-openrouter_streaming_reasoning.yaml')[0]!),
    );
    const { response, sent } = await run(
      'openrouter',
      request('anthropic/claude-sonnet-4.5', { reasoning: { mode: 'enabled', effort: 'high' } }),
    );
    expect(sent.reasoning).toEqual({ effort: 'high' });
    expect(sent).not.toHaveProperty('reasoning_effort');
    const [reasoning, text] = response.content;
    expect(reasoning?.type).toBe('reasoning');
    expect(reasoning?.type === 'reasoning' && reasoning.text.startsWith('This')).toBe(true);
    expect(
      reasoning?.type === 'reasoning' && reasoning.signature !== undefined && reasoning.signature.length > 0,
    ).toBe(true);
    expect(text?.type).toBe('text');
    // usage.cost and cost_details are ignored.
    expect(response.usage).toEqual({
      inputTokens: 43,
      outputTokens: 36,
      cachedInputTokens: 0,
      reasoningTokens: 13,
    });
  });

  it('lmstudio-like local server (Ollama /v1): reasoning field and tool call (pydantic-ai-ollama_cloud_tool_output)', async () => {
    const cassette = loadCassette('openai-chat/pydantic-ai-ollama_cloud_tool_output.yaml');
    upstream.reply = sse(completionAsSse(cassette[0]!.response.parsed_body));
    const first = await run('lmstudio', request('gpt-oss:20b'));
    expect(upstream.last().headers.authorization).toBeUndefined();
    expect(first.response.content[0]?.type).toBe('reasoning');
    expect(first.response.content[1]).toEqual({ type: 'text', text: 'Paris.' });
    expect(first.response.usage).toEqual({ inputTokens: 134, outputTokens: 122 });

    upstream.reply = sse(completionAsSse(cassette[1]!.response.parsed_body));
    const second = await run('lmstudio', request('gpt-oss:20b'));
    expect(second.response.content.at(-1)).toEqual({
      type: 'tool-call',
      id: 'call_o2vnpxrw',
      name: 'final_result',
      arguments: '{"city":"Paris","country":"France"}',
    });
    expect(second.response.finishReason).toBe('tool_calls');
    expect(second.response.usage).toEqual({ inputTokens: 206, outputTokens: 194 });
  });

  it('mistral-openai: content as parts, thinking parts become reasoning (fixtures/mistral/vercel-mistral-reasoning)', async () => {
    upstream.reply = vercelSse('mistral/vercel-mistral-reasoning.chunks.txt');
    const { response, sent, warnings } = await run(
      'mistral-openai',
      request('magistral-medium-2507', { seed: 7, maxOutputTokens: 64, metadata: { team: 'a' } }),
    );
    expect(response.content).toEqual([
      { type: 'reasoning', text: 'The user is asking for 2+2. This is basic arithmetic. 2+2=4.' },
      { type: 'text', text: '2 + 2 = 4' },
    ]);
    expect(response.usage).toEqual({ inputTokens: 10, outputTokens: 46 });
    expect(sent).toMatchObject({ random_seed: 7, max_tokens: 64 });
    expect(sent).not.toHaveProperty('seed');
    expect(sent).not.toHaveProperty('metadata');
    expect(warnings).toEqual(['stripped unsupported parameter(s) for mistral-openai: metadata']);
  });
});

describe('createPresetAdapter', () => {
  it('type = "groq" with only api_key: parseConfig + createPresetAdapter reach the upstream with Bearer auth', async () => {
    const toml = (extra: string) => `[providers.groq]\ntype = "groq"\napi_key = "gsk-only"\n${extra}`;
    const defaults = parseConfig(toml(''), 'test.toml', {});
    expect(defaults.providers[0]?.baseUrl).toBe('https://api.groq.com/openai/v1');

    const config = parseConfig(toml(`base_url = "${upstream.origin}/v1"`), 'test.toml', {}).providers[0]!;
    upstream.reply = vercelSse('openai-chat/vercel-groq-text.chunks.txt');
    const adapter = createPresetAdapter(config);
    expect(adapter.type).toBe('groq');
    const answer = new ResponseCollector();
    for await (const event of adapter.stream(request('llama-3.3-70b-versatile'), contextWith([])))
      answer.add(event);
    expect(upstream.last().url).toBe('/v1/chat/completions');
    expect(upstream.last().headers.authorization).toBe('Bearer gsk-only');
    expect(answer.response.usage).toEqual({ inputTokens: 45, outputTokens: 662 });
  });

  it('every preset type has a preset and a real https default base URL (lmstudio: loopback)', () => {
    expect(Object.keys(PRESETS).sort()).toEqual([...PRESET_TYPES].sort());
    for (const type of PRESET_TYPES) {
      const url = new URL(PRESET_BASE_URLS[type]);
      expect(url.protocol).toBe(type === 'lmstudio' ? 'http:' : 'https:');
    }
  });

  it('a refused request is thrown before any event as a classified GatewayError (Groq 400 tool_use_failed)', async () => {
    const interaction = loadCassette('openai-chat/pydantic-ai-groq-tool_use_failed_error.yaml')[0]!;
    upstream.reply = inHalves(400, 'application/json', responseText(interaction));
    const error = await run('groq', request('openai/gpt-oss-120b')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ failureClass: 'invalid_request', status: 400, provider: 'groq' });

    const limited = loadCassette('openai-chat/pydantic-ai-openrouter_errors_raised.yaml')[0]!;
    upstream.reply = inHalves(429, 'application/json', responseText(limited));
    const rateLimited = await run('openrouter', request('google/gemini-2.0-flash-exp:free')).catch(
      (e: unknown) => e,
    );
    expect(rateLimited).toMatchObject({ failureClass: 'rate_limit', provider: 'openrouter' });
  });

  it('perplexity refuses tools by capability; the others keep the openai capabilities', () => {
    for (const type of PRESET_TYPES) {
      expect(createPresetAdapter(configFor(type)).capabilities.tools).toBe(type !== 'perplexity');
    }
  });
});

/** A client body with every parameter some preset refuses. */
function clientBody(): Record<string, unknown> {
  return {
    model: 'client-model',
    messages: [{ role: 'user', content: 'hi', name: 'bob' }],
    stream: false,
    seed: 1,
    logprobs: true,
    top_logprobs: 2,
    logit_bias: { '50256': -100 },
    n: 2,
    presence_penalty: 0.1,
    frequency_penalty: 0.2,
    stop: ['END'],
    tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
    tool_choice: 'auto',
    parallel_tool_calls: false,
    service_tier: 'auto',
    metadata: { team: 'a' },
    temperature: 1.5,
    max_completion_tokens: 50,
    reasoning_effort: 'low',
    citations_wanted: 'unknown fields survive',
  };
}

const RELAY_TABLE: Array<{ type: PresetType; model: string; stripped: string[] }> = [
  { type: 'openrouter', model: 'openai/gpt-4.1', stripped: [] },
  {
    type: 'groq',
    model: 'llama-3.3-70b-versatile',
    stripped: ['logprobs', 'top_logprobs', 'logit_bias', 'messages[].name', 'n', 'reasoning_effort'],
  },
  { type: 'deepseek', model: 'deepseek-reasoner', stripped: ['logprobs', 'top_logprobs'] },
  {
    type: 'xai',
    model: 'grok-4',
    stripped: ['presence_penalty', 'frequency_penalty', 'stop', 'reasoning_effort'],
  },
  { type: 'together', model: 'm', stripped: [] },
  { type: 'fireworks', model: 'm', stripped: [] },
  { type: 'perplexity', model: 'sonar', stripped: ['tools', 'tool_choice'] },
  {
    type: 'cerebras',
    model: 'gpt-oss-120b',
    stripped: ['frequency_penalty', 'presence_penalty', 'logit_bias', 'parallel_tool_calls', 'service_tier'],
  },
  { type: 'zai', model: 'glm-4.6', stripped: [] },
  { type: 'moonshot', model: 'moonshot-v1-8k', stripped: [] },
  { type: 'requesty', model: 'openai/gpt-4.1', stripped: [] },
  { type: 'mistral-openai', model: 'mistral-small-latest', stripped: ['metadata', 'messages[].name'] },
  { type: 'gemini-openai', model: 'gemini-2.5-flash', stripped: [] },
  { type: 'lmstudio', model: 'qwen3', stripped: [] },
];

describe('relay on every preset: forwarded except model, minus what the host refuses, with a warning', () => {
  it.each(RELAY_TABLE)('$type', async ({ type, model, stripped }) => {
    const json = JSON.stringify({ id: 'x', choices: [], usage: { prompt_tokens: 3, completion_tokens: 4 } });
    upstream.reply = inHalves(200, 'application/json', json);
    const warnings: string[] = [];
    const body = clientBody();
    const relayed = await createPresetAdapter(configFor(type, `my-${type}`)).relay(
      'openai-chat',
      body,
      model,
      contextWith(warnings),
    );
    const received = await relayedText(relayed.body);
    expect(received).toBe(json);
    expect(relayed.usage()).toEqual({ inputTokens: 3, outputTokens: 4 });

    // Auth and URL: Bearer with the configured key; the keyless local server gets none.
    expect(upstream.last().url).toBe('/v1/chat/completions');
    expect(upstream.last().headers.authorization).toBe(
      type === 'lmstudio' ? undefined : `Bearer key-${type}`,
    );

    const expected: Record<string, unknown> = { ...clientBody(), model };
    for (const name of stripped) {
      if (name === 'messages[].name') expected.messages = [{ role: 'user', content: 'hi' }];
      else delete expected[name];
    }
    if (type === 'moonshot') expected.temperature = 1;
    if (type === 'mistral-openai') {
      expected.max_tokens = expected.max_completion_tokens;
      delete expected.max_completion_tokens;
      expected.random_seed = expected.seed;
      delete expected.seed;
    }
    expect(JSON.parse(upstream.last().body)).toEqual(expected);

    const expectedWarnings = [
      ...(type === 'moonshot' ? [`clamped temperature 1.5 to 1, the maximum for my-${type}`] : []),
      ...(stripped.length > 0
        ? [`stripped unsupported parameter(s) for my-${type}: ${stripped.join(', ')}`]
        : []),
    ];
    expect(warnings).toEqual(expectedWarnings);
    // The client's body is untouched (the router may relay it to another provider next).
    expect(body).toEqual(clientBody());
  });

  it('perplexity citations survive the fast path byte for byte', async () => {
    const text = chunksToSse(loadChunks('openai-chat/vercel-perplexity-citations.chunks.txt'));
    upstream.reply = sse(text);
    const relayed = await createPresetAdapter(configFor('perplexity')).relay(
      'openai-chat',
      { model: 'sonar', stream: true, messages: [{ role: 'user', content: 'population of SF?' }] },
      'sonar',
      contextWith([]),
    );
    const received = await relayedText(relayed.body);
    expect(received).toBe(text);
    expect(received).toContain('https://en.wikipedia.org/wiki/San_Francisco');
    expect(relayed.usage()).toEqual({ inputTokens: 10, outputTokens: 336 });
  });
});

describe('translated path quirks', () => {
  it('cerebras strips parallel_tool_calls with a warning; xai reasoning models lose stop', async () => {
    upstream.reply = vercelSse('openai-chat/vercel-groq-text.chunks.txt');
    const tools = [{ name: 'f', parameters: { type: 'object', properties: {} } }];
    const cerebras = await run('cerebras', request('gpt-oss-120b', { parallelToolCalls: false, tools }));
    expect(cerebras.sent).not.toHaveProperty('parallel_tool_calls');
    expect(cerebras.warnings).toEqual([
      'stripped unsupported parameter(s) for cerebras: parallel_tool_calls',
    ]);

    const grok4 = await run(
      'xai',
      request('grok-4-0709', { stop: ['END'], reasoning: { mode: 'enabled', effort: 'high' } }),
    );
    expect(grok4.sent).not.toHaveProperty('stop');
    expect(grok4.sent).not.toHaveProperty('reasoning_effort');
    expect(grok4.warnings).toEqual(['stripped unsupported parameter(s) for xai: stop, reasoning_effort']);

    const nonReasoning = await run('xai', request('grok-4-fast-non-reasoning', { stop: ['END'] }));
    expect(nonReasoning.sent.stop).toEqual(['END']);
    expect(nonReasoning.warnings).toEqual([]);
  });

  it('groq: GPT-OSS gets its three rungs; a model without reasoning control loses reasoning_effort', async () => {
    upstream.reply = vercelSse('openai-chat/vercel-groq-text.chunks.txt');
    const oss = await run(
      'groq',
      request('openai/gpt-oss-120b', { reasoning: { mode: 'enabled', effort: 'xhigh' } }),
    );
    expect(oss.sent.reasoning_effort).toBe('high');
    expect(oss.sent).not.toHaveProperty('reasoning_format');
    const budget = await run(
      'groq',
      request('openai/gpt-oss-20b', { reasoning: { mode: 'enabled' as const, budgetTokens: 1024 } }),
    );
    expect(budget.sent.reasoning_effort).toBe('low');
    const max = await run(
      'groq',
      request('openai/gpt-oss-120b', { reasoning: { mode: 'enabled', effort: 'max' } }),
    );
    expect(max.sent.reasoning_effort).toBe('high');

    const llama = await run(
      'groq',
      request('llama-3.3-70b-versatile', { reasoning: { mode: 'enabled', effort: 'low' } }),
    );
    expect(llama.sent).not.toHaveProperty('reasoning_effort');
    expect(llama.warnings).toEqual(['stripped unsupported parameter(s) for groq: reasoning_effort']);
  });

  it('openrouter: a thinking budget is sent as reasoning.max_tokens', async () => {
    upstream.reply = vercelSse('openai-chat/vercel-groq-text.chunks.txt');
    const { sent } = await run(
      'openrouter',
      request('anthropic/claude-sonnet-4.5', { reasoning: { mode: 'enabled' as const, budgetTokens: 3000 } }),
    );
    expect(sent.reasoning).toEqual({ max_tokens: 3000 });
    expect(sent).not.toHaveProperty('reasoning_effort');
  });

  it('presets that keep max_completion_tokens send it unchanged', async () => {
    upstream.reply = vercelSse('openai-chat/vercel-groq-text.chunks.txt');
    for (const type of ['openrouter', 'groq', 'xai', 'cerebras', 'moonshot', 'requesty'] as const) {
      const { sent } = await run(type, request('m', { maxOutputTokens: 99 }));
      expect(sent.max_completion_tokens).toBe(99);
      expect(sent).not.toHaveProperty('max_tokens');
    }
  });
});
