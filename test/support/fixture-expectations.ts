/**
 * What an OpenAI-surface client should see for a recorded upstream answer, computed straight from the
 * fixture's wire events (not from gateway code): the text, the tool calls, the finish and the usage
 * mapped to Chat Completions semantics (prompt_tokens counts cached tokens; completion_tokens counts
 * reasoning tokens).
 */

export interface ExpectedToolCall {
  /** Undefined where the provider has no tool call ids (Gemini): the gateway makes one up. */
  id?: string;
  name: string;
  arguments: string;
}

export interface ExpectedUsage {
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens: number;
  reasoning_tokens: number;
}

export interface Expected {
  text: string;
  reasoning: string;
  signatures: string[];
  toolCalls: ExpectedToolCall[];
  finishReason: 'stop' | 'length' | 'tool_calls' | 'content_filter';
  usage: ExpectedUsage;
}

/** The JSON payloads of the `data:` lines of an SSE text, in order, without `[DONE]`. */
export function sseData(text: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    const data = block
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).replace(/^ /, ''))
      .join('\n');
    if (data.trim() === '' || data.trim() === '[DONE]') continue;
    out.push(JSON.parse(data) as Record<string, unknown>);
  }
  return out;
}

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (typeof value === 'object' && value !== null ? (value as Json) : {});
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const num = (value: unknown): number => (typeof value === 'number' ? value : 0);
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

/** An OpenAI chat.completion.chunk stream. */
export function expectedFromOpenAIStream(sse: string): Expected {
  let text = '';
  let finishReason: Expected['finishReason'] = 'stop';
  const calls = new Map<number, ExpectedToolCall>();
  let usage: ExpectedUsage = {
    prompt_tokens: 0,
    completion_tokens: 0,
    cached_tokens: 0,
    reasoning_tokens: 0,
  };
  for (const chunk of sseData(sse)) {
    const choice = obj(arr(chunk.choices)[0]);
    const delta = obj(choice.delta);
    text += str(delta.content);
    for (const raw of arr(delta.tool_calls)) {
      const call = obj(raw);
      const index = num(call.index);
      const fn = obj(call.function);
      const current = calls.get(index) ?? { id: str(call.id), name: str(fn.name), arguments: '' };
      current.arguments += str(fn.arguments);
      calls.set(index, current);
    }
    if (typeof choice.finish_reason === 'string')
      finishReason = choice.finish_reason as Expected['finishReason'];
    if (chunk.usage) usage = openAIUsage(obj(chunk.usage));
  }
  return { text, reasoning: '', signatures: [], toolCalls: [...calls.values()], finishReason, usage };
}

export function openAIUsage(usage: Json): ExpectedUsage {
  return {
    prompt_tokens: num(usage.prompt_tokens),
    completion_tokens: num(usage.completion_tokens),
    cached_tokens: num(obj(usage.prompt_tokens_details).cached_tokens),
    reasoning_tokens: num(obj(usage.completion_tokens_details).reasoning_tokens),
  };
}

const ANTHROPIC_FINISH: Record<string, Expected['finishReason']> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

/** An Anthropic Messages stream. Cache reads and writes are part of the prompt on the OpenAI surface. */
export function expectedFromAnthropicStream(sse: string): Expected {
  let text = '';
  let reasoning = '';
  const signatures: string[] = [];
  const blocks = new Map<number, ExpectedToolCall>();
  let finishReason: Expected['finishReason'] = 'stop';
  const raw = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, thinking: 0 };
  const fold = (usage: Json): void => {
    if (typeof usage.input_tokens === 'number') raw.input = usage.input_tokens;
    if (typeof usage.output_tokens === 'number') raw.output = usage.output_tokens;
    if (typeof usage.cache_read_input_tokens === 'number') raw.cacheRead = usage.cache_read_input_tokens;
    if (typeof usage.cache_creation_input_tokens === 'number')
      raw.cacheWrite = usage.cache_creation_input_tokens;
    const thinking = obj(usage.output_tokens_details).thinking_tokens;
    if (typeof thinking === 'number') raw.thinking = thinking;
  };
  for (const event of sseData(sse)) {
    switch (event.type) {
      case 'message_start':
        fold(obj(obj(event.message).usage));
        break;
      case 'content_block_start': {
        const block = obj(event.content_block);
        if (block.type === 'tool_use') {
          blocks.set(num(event.index), { id: str(block.id), name: str(block.name), arguments: '' });
        }
        break;
      }
      case 'content_block_delta': {
        const delta = obj(event.delta);
        if (delta.type === 'text_delta') text += str(delta.text);
        if (delta.type === 'thinking_delta') reasoning += str(delta.thinking);
        if (delta.type === 'signature_delta') signatures.push(str(delta.signature));
        const call = blocks.get(num(event.index));
        if (delta.type === 'input_json_delta' && call) call.arguments += str(delta.partial_json);
        break;
      }
      case 'message_delta': {
        const reason = str(obj(event.delta).stop_reason);
        if (reason !== '') finishReason = ANTHROPIC_FINISH[reason] ?? 'stop';
        fold(obj(event.usage));
        break;
      }
    }
  }
  // A tool that takes no arguments streams no JSON at all; on the OpenAI surface that is "{}".
  for (const call of blocks.values()) if (call.arguments === '') call.arguments = '{}';
  return {
    text,
    reasoning,
    signatures,
    toolCalls: [...blocks.values()],
    finishReason,
    usage: {
      prompt_tokens: raw.input + raw.cacheRead + raw.cacheWrite,
      completion_tokens: raw.output,
      cached_tokens: raw.cacheRead,
      reasoning_tokens: raw.thinking,
    },
  };
}

/** Gemini's finishReason values as a client sees them (the matrix's oracle reads them the same way). */
export const GEMINI_FINISH: Record<string, Expected['finishReason']> = {
  STOP: 'stop',
  MAX_TOKENS: 'length',
  SAFETY: 'content_filter',
  RECITATION: 'content_filter',
  PROHIBITED_CONTENT: 'content_filter',
  BLOCKLIST: 'content_filter',
  SPII: 'content_filter',
};

/**
 * A Gemini streamGenerateContent stream. Thoughts count as completion tokens on the OpenAI surface
 * (as OpenAI counts reasoning tokens), and a function call makes the finish "tool_calls".
 */
export function expectedFromGeminiStream(sse: string): Expected {
  let text = '';
  let reasoning = '';
  const toolCalls: ExpectedToolCall[] = [];
  let finishReason: Expected['finishReason'] = 'stop';
  let usage: Json = {};
  for (const chunk of sseData(sse)) {
    const candidate = obj(arr(chunk.candidates)[0]);
    for (const raw of arr(obj(candidate.content).parts)) {
      const part = obj(raw);
      if (typeof part.text === 'string') {
        if (part.thought === true) reasoning += part.text;
        else text += part.text;
      }
      const call = obj(part.functionCall);
      if (typeof call.name === 'string') {
        toolCalls.push({
          id: typeof call.id === 'string' ? call.id : undefined,
          name: call.name,
          arguments: JSON.stringify(call.args ?? {}),
        });
      }
    }
    if (typeof candidate.finishReason === 'string')
      finishReason = GEMINI_FINISH[candidate.finishReason] ?? 'stop';
    if (chunk.usageMetadata) usage = obj(chunk.usageMetadata);
  }
  if (toolCalls.length > 0 && finishReason === 'stop') finishReason = 'tool_calls';
  return {
    text,
    reasoning,
    signatures: [],
    toolCalls,
    finishReason,
    usage: {
      prompt_tokens: num(usage.promptTokenCount),
      completion_tokens: num(usage.candidatesTokenCount) + num(usage.thoughtsTokenCount),
      cached_tokens: num(usage.cachedContentTokenCount),
      reasoning_tokens: num(usage.thoughtsTokenCount),
    },
  };
}
