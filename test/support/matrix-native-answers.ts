/**
 * What a recorded answer says (matrix-answer.ts's `Answer`) for the wires matrix-answer.ts does not read:
 * Bedrock ConverseStream events, Cohere v2 chat stream events, Mistral chat chunks (content as chunk lists)
 * and Ollama /api/chat NDJSON lines. Computed straight from the wire, never from gateway code, following
 * each provider's documented rules (docs/providers/<name>.md): usage counts every prompt token as input
 * (cache reads included), a call without an id gets the id the provider's docs promise.
 */
import { sseData } from './fixture-expectations.js';
import type { Answer, AnswerBlock, AnswerUsage, Finish } from './matrix-answer.js';
import { answerFromOpenAIJson, answerFromOpenAIStream } from './matrix-answer.js';

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (typeof value === 'object' && value !== null ? (value as Json) : {});
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const num = (value: unknown): number => (typeof value === 'number' ? value : 0);
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

type ToolBlock = Extract<AnswerBlock, { type: 'tool_use' }>;
type ThinkingBlock = Extract<AnswerBlock, { type: 'thinking' }>;

/** Blocks in the order they were produced; a piece of the same kind continues the block before it. */
class Blocks {
  readonly list: AnswerBlock[] = [];
  private readonly tools = new Map<string | number, ToolBlock>();
  private thinkingOpen = false;

  text(text: string): void {
    if (text === '') return;
    this.thinkingOpen = false;
    const last = this.list.at(-1);
    if (last?.type === 'text') last.text += text;
    else this.list.push({ type: 'text', text });
  }

  thinking(text: string): void {
    if (text === '') return;
    const last = this.list.at(-1);
    if (this.thinkingOpen && last?.type === 'thinking') last.thinking += text;
    else {
      this.list.push({ type: 'thinking', thinking: text });
      this.thinkingOpen = true;
    }
  }

  signature(signature: string): void {
    const last = this.list.at(-1);
    const block: ThinkingBlock =
      this.thinkingOpen && last?.type === 'thinking' ? last : { type: 'thinking', thinking: '' };
    if (block !== last) this.list.push(block);
    block.signature = signature;
    this.thinkingOpen = false;
  }

  redacted(data: string): void {
    this.thinkingOpen = false;
    this.list.push({ type: 'redacted_thinking', data });
  }

  tool(key: string | number, id: string | undefined, name: string): void {
    this.thinkingOpen = false;
    const block: ToolBlock = { type: 'tool_use', ...(id ? { id } : {}), name, arguments: '' };
    this.tools.set(key, block);
    this.list.push(block);
  }

  toolArguments(key: string | number, piece: string): void {
    const block = this.tools.get(key);
    if (block) block.arguments += piece;
  }

  get hasTools(): boolean {
    return this.tools.size > 0;
  }
}

/** Anthropic's own stop reasons: a provider sending one of these has it kept on the Messages surface. */
const ANTHROPIC_STOP_REASONS = new Set(['end_turn', 'max_tokens', 'stop_sequence', 'tool_use']);

function finished(blocks: Blocks, finish: Finish, usage: AnswerUsage, raw?: string): Answer {
  // A provider that says "stop" after a call (Ollama, Cohere's COMPLETE) still ends a tool-call turn.
  const final = finish === 'stop' && blocks.hasTools ? 'tool_calls' : finish;
  return {
    blocks: blocks.list,
    finish: final,
    ...(raw !== undefined && ANTHROPIC_STOP_REASONS.has(raw) ? { anthropicStopReason: raw } : {}),
    usage,
  };
}

// ---------------------------------------------------------------- Bedrock ConverseStream

/** One decoded ConverseStream event: its `:event-type` and JSON payload. */
export interface BedrockEvent {
  type: string;
  payload: Json;
}

const BEDROCK_FINISH: Record<string, Finish> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  tool_use: 'tool_calls',
  max_tokens: 'length',
  content_filtered: 'content_filter',
  guardrail_intervened: 'content_filter',
};

/** Bedrock reports cache reads and writes beside inputTokens; every prompt token is their sum. */
function bedrockUsage(usage: Json): AnswerUsage {
  const cacheRead = num(usage.cacheReadInputTokens);
  const cacheWrite = num(usage.cacheWriteInputTokens);
  return {
    input: num(usage.inputTokens) + cacheRead + cacheWrite,
    cacheRead,
    cacheWrite,
    output: num(usage.outputTokens),
    reasoning: 0,
  };
}

export function answerFromBedrockEvents(events: BedrockEvent[]): Answer {
  const blocks = new Blocks();
  let stopReason = 'end_turn';
  let usage: Json = {};
  for (const { type, payload } of events) {
    const index = num(payload.contentBlockIndex);
    if (type === 'contentBlockStart') {
      const toolUse = obj(obj(payload.start).toolUse);
      if (toolUse.name !== undefined) blocks.tool(index, str(toolUse.toolUseId), str(toolUse.name));
    } else if (type === 'contentBlockDelta') {
      const delta = obj(payload.delta);
      if (typeof delta.text === 'string') blocks.text(delta.text);
      if (delta.toolUse !== undefined) blocks.toolArguments(index, str(obj(delta.toolUse).input));
      const reasoning = obj(delta.reasoningContent);
      if (typeof reasoning.text === 'string') blocks.thinking(reasoning.text);
      if (typeof reasoning.signature === 'string') blocks.signature(reasoning.signature);
      if (typeof reasoning.redactedContent === 'string') blocks.redacted(reasoning.redactedContent);
    } else if (type === 'messageStop') stopReason = str(payload.stopReason) || stopReason;
    else if (type === 'metadata') usage = obj(payload.usage);
  }
  return finished(blocks, BEDROCK_FINISH[stopReason] ?? 'stop', bedrockUsage(usage), stopReason);
}

/**
 * A whole Converse answer (`POST /converse`) as the ConverseStream events Bedrock sends for it: one
 * block after another (text, reasoning with its signature, tool use with its input as one piece), then
 * messageStop and metadata. Every recorded value is kept; only the framing is added.
 */
export function bedrockJsonAsEvents(response: Json): BedrockEvent[] {
  const events: BedrockEvent[] = [{ type: 'messageStart', payload: { role: 'assistant' } }];
  arr(obj(obj(response.output).message).content).forEach((raw, contentBlockIndex) => {
    const block = obj(raw);
    const delta = (d: Json): BedrockEvent => ({
      type: 'contentBlockDelta',
      payload: { contentBlockIndex, delta: d },
    });
    if (typeof block.text === 'string') events.push(delta({ text: block.text }));
    else if (block.toolUse !== undefined) {
      const toolUse = obj(block.toolUse);
      events.push({
        type: 'contentBlockStart',
        payload: {
          contentBlockIndex,
          start: { toolUse: { toolUseId: toolUse.toolUseId, name: toolUse.name } },
        },
      });
      events.push(delta({ toolUse: { input: JSON.stringify(toolUse.input ?? {}) } }));
    } else if (block.reasoningContent !== undefined) {
      const reasoning = obj(block.reasoningContent);
      const text = obj(reasoning.reasoningText);
      if (reasoning.redactedContent !== undefined)
        events.push(delta({ reasoningContent: { redactedContent: reasoning.redactedContent } }));
      else {
        events.push(delta({ reasoningContent: { text: text.text } }));
        events.push(delta({ reasoningContent: { signature: text.signature } }));
      }
    }
    events.push({ type: 'contentBlockStop', payload: { contentBlockIndex } });
  });
  events.push({ type: 'messageStop', payload: { stopReason: response.stopReason } });
  events.push({ type: 'metadata', payload: { usage: response.usage, metrics: response.metrics ?? {} } });
  return events;
}

// ---------------------------------------------------------------- Cohere v2 chat

const COHERE_FINISH: Record<string, Finish> = {
  COMPLETE: 'stop',
  STOP_SEQUENCE: 'stop',
  MAX_TOKENS: 'length',
  TOOL_CALL: 'tool_calls',
};

/**
 * A Cohere v2 chat stream. The tool plan is text (the gateway returns it as text); `usage.tokens` is what
 * the model processed (billed_units only when it is missing) and `cached_tokens` a part of its input.
 */
export function answerFromCohereStream(sse: string): Answer {
  const blocks = new Blocks();
  let finish = 'COMPLETE';
  let usage: Json = {};
  for (const event of sseData(sse)) {
    const message = obj(obj(event.delta).message);
    switch (event.type) {
      case 'content-start':
      case 'content-delta': {
        const content = obj(message.content);
        blocks.thinking(str(content.thinking));
        blocks.text(str(content.text));
        break;
      }
      case 'tool-plan-delta':
        blocks.text(str(message.tool_plan));
        break;
      case 'tool-call-start': {
        const call = obj(message.tool_calls);
        const fn = obj(call.function);
        blocks.tool(num(event.index), str(call.id), str(fn.name));
        blocks.toolArguments(num(event.index), str(fn.arguments));
        break;
      }
      case 'tool-call-delta':
        blocks.toolArguments(num(event.index), str(obj(obj(message.tool_calls).function).arguments));
        break;
      case 'message-end': {
        const delta = obj(event.delta);
        finish = str(delta.finish_reason) || finish;
        usage = obj(delta.usage);
        break;
      }
    }
  }
  const tokens = obj(usage.tokens);
  const pair =
    tokens.input_tokens !== undefined || tokens.output_tokens !== undefined
      ? tokens
      : obj(usage.billed_units);
  return finished(blocks, COHERE_FINISH[finish] ?? 'stop', {
    input: num(pair.input_tokens),
    cacheRead: num(usage.cached_tokens),
    cacheWrite: 0,
    output: num(pair.output_tokens),
    reasoning: 0,
  });
}

// ---------------------------------------------------------------- Mistral chat completions

/**
 * Mistral's chunks are Chat Completions chunks except that `content` may be a list of chunks
 * (`{type: "thinking", thinking: [{type: "text", text}]}`, `{type: "text", text}`) and cached tokens may
 * come as `usage.num_cached_tokens`. Normalized to the Chat Completions form (thinking as
 * `reasoning_content`), the Chat Completions reading applies.
 */
export function normalizeMistralMessage(holder: Json): Json {
  if (!Array.isArray(holder.content)) return holder;
  let text = '';
  let thinking = '';
  for (const raw of holder.content) {
    const chunk = obj(raw);
    if (chunk.type === 'text') text += str(chunk.text);
    if (chunk.type === 'thinking') for (const part of arr(chunk.thinking)) thinking += str(obj(part).text);
  }
  return { ...holder, content: text, ...(thinking !== '' ? { reasoning_content: thinking } : {}) };
}

function normalizeMistralUsage(usage: unknown): Json | undefined {
  if (usage === undefined || usage === null) return undefined;
  const u = obj(usage);
  if (u.prompt_tokens_details !== undefined || u.num_cached_tokens === undefined) return u;
  return { ...u, prompt_tokens_details: { cached_tokens: u.num_cached_tokens } };
}

export function normalizeMistralChunk(chunk: Json): Json {
  const choices = arr(chunk.choices).map((raw) => {
    const choice = obj(raw);
    return choice.delta === undefined
      ? choice
      : { ...choice, delta: normalizeMistralMessage(obj(choice.delta)) };
  });
  const usage = normalizeMistralUsage(chunk.usage);
  return { ...chunk, choices, ...(usage ? { usage } : {}) };
}

export function answerFromMistralStream(sse: string): Answer {
  const normalized = sseData(sse)
    .map((chunk) => `data: ${JSON.stringify(normalizeMistralChunk(chunk))}\n\n`)
    .join('');
  return answerFromOpenAIStream(normalized);
}

export function answerFromMistralJson(completion: Json): Answer {
  const choices = arr(completion.choices).map((raw) => {
    const choice = obj(raw);
    return { ...choice, message: normalizeMistralMessage(obj(choice.message)) };
  });
  const usage = normalizeMistralUsage(completion.usage);
  return answerFromOpenAIJson({ ...completion, choices, ...(usage ? { usage } : {}) });
}

// ---------------------------------------------------------------- Ollama /api/chat

/**
 * Ollama NDJSON lines. Calls come whole, arguments as an object and no id: per docs/providers/ollama.md
 * each gets `call_<n>` (n counts the calls of the response from 0) and its arguments as JSON text.
 * Usage is prompt_eval_count / eval_count; Ollama reports no cache counts.
 */
export function answerFromOllamaLines(lines: Json[]): Answer {
  const blocks = new Blocks();
  let calls = 0;
  let finish: Finish = 'stop';
  let usage: AnswerUsage = { input: 0, cacheRead: 0, cacheWrite: 0, output: 0, reasoning: 0 };
  for (const line of lines) {
    const message = obj(line.message);
    blocks.thinking(str(message.thinking));
    blocks.text(str(message.content));
    for (const raw of arr(message.tool_calls)) {
      const call = obj(raw);
      const fn = obj(call.function);
      const index = calls++;
      blocks.tool(index, str(call.id) || `call_${index}`, str(fn.name));
      blocks.toolArguments(
        index,
        typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments ?? {}),
      );
    }
    if (line.done === true) {
      finish = line.done_reason === 'length' ? 'length' : 'stop';
      usage = { ...usage, input: num(line.prompt_eval_count), output: num(line.eval_count) };
    }
  }
  return finished(blocks, finish, usage);
}
