/**
 * What a recorded upstream answer says, in one neutral shape computed straight from the wire (never from
 * gateway code): the content blocks in the order the model produced them, the finish, and the usage.
 * Projections then say what each client dialect must see for it: `openAIView` (Chat Completions) and
 * `anthropicView` (Messages). The projections encode the documented mapping rules of the gateway
 * (docs/architecture.md, docs/reasoning.md), so a translation that loses a field makes a cell fail.
 */
import { GEMINI_FINISH, sseData } from './fixture-expectations.js';

export type AnswerBlock =
  | { type: 'text'; text: string }
  /** `signature`: an Anthropic signature (also via OpenRouter reasoning_details); `geminiSignature`: a thought part's. */
  | { type: 'thinking'; thinking: string; signature?: string; geminiSignature?: string }
  | { type: 'redacted_thinking'; data: string }
  /** `id` is undefined where the provider sends none (Gemini): the gateway makes one up. */
  | { type: 'tool_use'; id?: string; name: string; arguments: string; geminiSignature?: string }
  /** A block only the same-dialect fast path carries (server tools, ...). */
  | { type: 'other'; blockType: string };

export type Finish = 'stop' | 'length' | 'tool_calls' | 'content_filter';

export interface AnswerUsage {
  /** Every prompt token, cache reads and writes included (OpenAI semantics). */
  input: number;
  cacheRead: number;
  cacheWrite: number;
  output: number;
  reasoning: number;
}

export interface Answer {
  blocks: AnswerBlock[];
  finish: Finish;
  /** The provider's own stop reason when it is an Anthropic one (kept on the Anthropic surface). */
  anthropicStopReason?: string;
  usage: AnswerUsage;
  /** Gemini signatures on plain text parts: optional for Gemini, and not carried on Chat Completions. */
  unsentSignatures?: number;
}

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (typeof value === 'object' && value !== null ? (value as Json) : {});
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const num = (value: unknown): number => (typeof value === 'number' ? value : 0);
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

/** Appends streamed pieces to blocks the way a stream is read: same kind continues, else a new block. */
class BlockBuilder {
  readonly blocks: AnswerBlock[] = [];
  private readonly tools = new Map<string | number, Extract<AnswerBlock, { type: 'tool_use' }>>();
  private thinkingOpen = false;

  text(text: string): void {
    if (text === '') return;
    this.thinkingOpen = false;
    const last = this.blocks.at(-1);
    if (last?.type === 'text') last.text += text;
    else this.blocks.push({ type: 'text', text });
  }

  thinking(text: string): void {
    if (text === '') return;
    const last = this.blocks.at(-1);
    if (this.thinkingOpen && last?.type === 'thinking') last.thinking += text;
    else {
      this.blocks.push({ type: 'thinking', thinking: text });
      this.thinkingOpen = true;
    }
  }

  /** Closes the current thinking block with its signature (a new empty one when none is open). */
  signature(signature: string, kind: 'signature' | 'geminiSignature' = 'signature'): void {
    const last = this.blocks.at(-1);
    const block: Extract<AnswerBlock, { type: 'thinking' }> =
      this.thinkingOpen && last?.type === 'thinking' ? last : { type: 'thinking', thinking: '' };
    if (block !== last) this.blocks.push(block);
    block[kind] = signature;
    this.thinkingOpen = false;
  }

  redacted(data: string): void {
    this.thinkingOpen = false;
    this.blocks.push({ type: 'redacted_thinking', data });
  }

  tool(key: string | number, start: { id?: string; name: string; geminiSignature?: string }): void {
    this.thinkingOpen = false;
    const block: Extract<AnswerBlock, { type: 'tool_use' }> = {
      type: 'tool_use',
      ...(start.id ? { id: start.id } : {}),
      name: start.name,
      arguments: '',
      ...(start.geminiSignature ? { geminiSignature: start.geminiSignature } : {}),
    };
    this.tools.set(key, block);
    this.blocks.push(block);
  }

  hasTool(key: string | number): boolean {
    return this.tools.has(key);
  }

  toolArguments(key: string | number, piece: string): void {
    const block = this.tools.get(key);
    if (block) block.arguments += piece;
  }

  other(blockType: string): void {
    this.thinkingOpen = false;
    this.blocks.push({ type: 'other', blockType });
  }
}

// ---------------------------------------------------------------- OpenAI Chat Completions

const OPENAI_FINISH: Record<string, Finish> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool_calls',
  function_call: 'tool_calls',
  content_filter: 'content_filter',
};

function openAIUsageOf(usage: Json): AnswerUsage {
  const prompt = obj(usage.prompt_tokens_details);
  return {
    input: num(usage.prompt_tokens),
    cacheRead: num(prompt.cached_tokens ?? usage.prompt_cache_hit_tokens),
    cacheWrite: num(prompt.cache_write_tokens),
    output: num(usage.completion_tokens),
    reasoning: num(obj(usage.completion_tokens_details).reasoning_tokens),
  };
}

const NO_USAGE: AnswerUsage = { input: 0, cacheRead: 0, cacheWrite: 0, output: 0, reasoning: 0 };

/** Reasoning of one delta or message: OpenRouter reasoning_details win over reasoning_content / reasoning. */
function openAIReasoning(builder: BlockBuilder, holder: Json): void {
  let detailsHadText = false;
  for (const raw of arr(holder.reasoning_details)) {
    const detail = obj(raw);
    if (detail.type === 'reasoning.text' || detail.type === 'reasoning.summary') {
      detailsHadText = true;
      builder.thinking(str(detail.type === 'reasoning.text' ? detail.text : detail.summary));
      if (str(detail.signature) !== '') builder.signature(str(detail.signature));
    } else if (detail.type === 'reasoning.encrypted' && str(detail.data) !== '') {
      builder.redacted(str(detail.data));
    }
  }
  if (!detailsHadText) builder.thinking(str(holder.reasoning_content ?? holder.reasoning));
}

export function answerFromOpenAIStream(sse: string): Answer {
  const builder = new BlockBuilder();
  let finish: Finish = 'stop';
  let usage = NO_USAGE;
  for (const chunk of sseData(sse)) {
    const choice = obj(arr(chunk.choices)[0]);
    const delta = obj(choice.delta);
    openAIReasoning(builder, delta);
    builder.text(str(delta.content));
    builder.text(str(delta.refusal));
    arr(delta.tool_calls).forEach((raw, position) => {
      const call = obj(raw);
      const index = typeof call.index === 'number' ? call.index : position;
      const fn = obj(call.function);
      if (!builder.hasTool(index)) builder.tool(index, { id: str(call.id), name: str(fn.name) });
      builder.toolArguments(index, str(fn.arguments));
    });
    if (typeof choice.finish_reason === 'string') finish = OPENAI_FINISH[choice.finish_reason] ?? 'stop';
    if (chunk.usage) usage = openAIUsageOf(obj(chunk.usage));
  }
  return withToolFinish({ blocks: builder.blocks, finish, usage });
}

export function answerFromOpenAIJson(completion: Json): Answer {
  const builder = new BlockBuilder();
  const choice = obj(arr(completion.choices)[0]);
  const message = obj(choice.message);
  openAIReasoning(builder, message);
  builder.text(str(message.content));
  arr(message.tool_calls).forEach((raw, index) => {
    const call = obj(raw);
    const fn = obj(call.function);
    builder.tool(index, { id: str(call.id), name: str(fn.name) });
    builder.toolArguments(index, str(fn.arguments));
  });
  const finish = OPENAI_FINISH[str(choice.finish_reason)] ?? 'stop';
  return withToolFinish({ blocks: builder.blocks, finish, usage: openAIUsageOf(obj(completion.usage)) });
}

/** A forced tool call may come with finish "stop"; every dialect renders tool calls as tool calls. */
function withToolFinish(answer: Answer): Answer {
  if (answer.finish === 'stop' && answer.blocks.some((b) => b.type === 'tool_use'))
    return { ...answer, finish: 'tool_calls' };
  return answer;
}

// ---------------------------------------------------------------- Anthropic Messages

const ANTHROPIC_FINISH: Record<string, Finish> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  pause_turn: 'stop',
  max_tokens: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

class AnthropicUsageFold {
  private raw = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, thinking: 0 };
  fold(usage: Json): void {
    if (typeof usage.input_tokens === 'number') this.raw.input = usage.input_tokens;
    if (typeof usage.output_tokens === 'number') this.raw.output = usage.output_tokens;
    if (typeof usage.cache_read_input_tokens === 'number') this.raw.cacheRead = usage.cache_read_input_tokens;
    if (typeof usage.cache_creation_input_tokens === 'number')
      this.raw.cacheWrite = usage.cache_creation_input_tokens;
    const thinking = obj(usage.output_tokens_details).thinking_tokens;
    if (typeof thinking === 'number') this.raw.thinking = thinking;
  }
  get usage(): AnswerUsage {
    const { input, output, cacheRead, cacheWrite, thinking } = this.raw;
    return { input: input + cacheRead + cacheWrite, cacheRead, cacheWrite, output, reasoning: thinking };
  }
}

export function answerFromAnthropicStream(sse: string): Answer {
  const builder = new BlockBuilder();
  const usage = new AnthropicUsageFold();
  let stopReason = 'end_turn';
  for (const event of sseData(sse)) {
    switch (event.type) {
      case 'message_start':
        usage.fold(obj(obj(event.message).usage));
        break;
      case 'content_block_start': {
        const block = obj(event.content_block);
        const index = num(event.index);
        if (block.type === 'text') builder.text(str(block.text));
        else if (block.type === 'thinking') builder.thinking(str(block.thinking));
        else if (block.type === 'redacted_thinking') builder.redacted(str(block.data));
        else if (block.type === 'tool_use') {
          builder.tool(index, { id: str(block.id), name: str(block.name) });
          const input = obj(block.input);
          if (Object.keys(input).length > 0) builder.toolArguments(index, JSON.stringify(input));
        } else builder.other(str(block.type));
        break;
      }
      case 'content_block_delta': {
        const delta = obj(event.delta);
        if (delta.type === 'text_delta') builder.text(str(delta.text));
        if (delta.type === 'thinking_delta') builder.thinking(str(delta.thinking));
        if (delta.type === 'signature_delta') builder.signature(str(delta.signature));
        if (delta.type === 'input_json_delta')
          builder.toolArguments(num(event.index), str(delta.partial_json));
        break;
      }
      case 'message_delta': {
        const reason = str(obj(event.delta).stop_reason);
        if (reason !== '') stopReason = reason;
        usage.fold(obj(event.usage));
        break;
      }
    }
  }
  return {
    blocks: builder.blocks,
    finish: ANTHROPIC_FINISH[stopReason] ?? 'stop',
    anthropicStopReason: stopReason,
    usage: usage.usage,
  };
}

export function answerFromAnthropicJson(message: Json): Answer {
  const builder = new BlockBuilder();
  arr(message.content).forEach((raw, index) => {
    const block = obj(raw);
    if (block.type === 'text') builder.text(str(block.text));
    else if (block.type === 'thinking') {
      builder.thinking(str(block.thinking));
      builder.signature(str(block.signature));
    } else if (block.type === 'redacted_thinking') builder.redacted(str(block.data));
    else if (block.type === 'tool_use') {
      builder.tool(index, { id: str(block.id), name: str(block.name) });
      builder.toolArguments(index, JSON.stringify(block.input ?? {}));
    } else builder.other(str(block.type));
  });
  const usage = new AnthropicUsageFold();
  usage.fold(obj(message.usage));
  const stopReason = str(message.stop_reason) || 'end_turn';
  return {
    blocks: builder.blocks,
    finish: ANTHROPIC_FINISH[stopReason] ?? 'stop',
    anthropicStopReason: stopReason,
    usage: usage.usage,
  };
}

// ---------------------------------------------------------------- Gemini

/**
 * A streamGenerateContent SSE text. Function-call arguments may stream as `partialArgs` pieces (JSON paths
 * `$.<key>` with string pieces that concatenate) on parts with `willContinue`, closed by a part without it.
 */
export function answerFromGeminiStream(sse: string): Answer {
  const builder = new BlockBuilder();
  let finish: Finish = 'stop';
  let usage: Json = {};
  let calls = 0;
  let pending: { key: number; args: Record<string, unknown> } | undefined;
  let unsentSignatures = 0;
  const closePending = (): void => {
    if (!pending) return;
    builder.toolArguments(pending.key, JSON.stringify(pending.args));
    pending = undefined;
  };
  for (const chunk of sseData(sse)) {
    const candidate = obj(arr(chunk.candidates)[0]);
    for (const raw of arr(obj(candidate.content).parts)) {
      const part = obj(raw);
      const signature = str(part.thoughtSignature);
      const call = part.functionCall === undefined ? undefined : obj(part.functionCall);
      if (call) {
        if (pending && call.name === undefined) {
          for (const piece of arr(call.partialArgs)) applyPartialArg(pending.args, obj(piece));
          if (call.willContinue !== true) closePending();
          continue;
        }
        closePending();
        const key = calls++;
        builder.tool(key, {
          ...(typeof call.id === 'string' ? { id: call.id } : {}),
          name: str(call.name),
          ...(signature ? { geminiSignature: signature } : {}),
        });
        if (call.willContinue === true && call.args === undefined) {
          pending = { key, args: {} };
          for (const piece of arr(call.partialArgs)) applyPartialArg(pending.args, obj(piece));
        } else builder.toolArguments(key, JSON.stringify(call.args ?? {}));
        continue;
      }
      if (typeof part.text !== 'string') continue;
      closePending();
      if (part.thought === true) {
        builder.thinking(part.text);
        if (signature) builder.signature(signature, 'geminiSignature');
      } else {
        builder.text(part.text);
        if (signature) unsentSignatures += 1;
      }
    }
    if (typeof candidate.finishReason === 'string') finish = GEMINI_FINISH[candidate.finishReason] ?? 'stop';
    if (chunk.usageMetadata) usage = obj(chunk.usageMetadata);
  }
  closePending();
  const thoughts = num(usage.thoughtsTokenCount);
  return withToolFinish({
    blocks: builder.blocks,
    finish,
    ...(unsentSignatures > 0 ? { unsentSignatures } : {}),
    usage: {
      input: num(usage.promptTokenCount) + num(usage.toolUsePromptTokenCount),
      cacheRead: num(usage.cachedContentTokenCount),
      cacheWrite: 0,
      output: num(usage.candidatesTokenCount) + thoughts,
      reasoning: thoughts,
    },
  });
}

function applyPartialArg(args: Record<string, unknown>, piece: Json): void {
  const path = str(piece.jsonPath);
  const match = /^\$\.([A-Za-z0-9_]+)$/.exec(path);
  if (!match) throw new Error(`matrix-answer: unsupported partialArgs path ${path}`);
  const key = match[1]!;
  if (typeof piece.stringValue === 'string') args[key] = str(args[key]) + piece.stringValue;
  else if ('numberValue' in piece) args[key] = piece.numberValue;
  else if ('boolValue' in piece) args[key] = piece.boolValue;
  else if ('nullValue' in piece) args[key] = null;
}

// ---------------------------------------------------------------- projections

export interface OpenAIView {
  text: string;
  reasoning: string;
  signatures: string[];
  toolCalls: Array<{ id?: string; name: string; arguments: string; thoughtSignature?: string }>;
  /** A Gemini text signature, in the message's `extra_content.google.thought_signature`. */
  textSignature?: string;
  finishReason: Finish;
  usage: {
    prompt_tokens: number;
    completion_tokens: number;
    cached_tokens: number;
    reasoning_tokens: number;
  };
}

/**
 * What a Chat Completions client sees: prompt_tokens counts cached tokens, completion counts reasoning. A
 * Gemini signature of text (`textSignatures`, the last one kept) rides on the message.
 */
export function openAIView(answer: Answer, textSignatures: readonly string[] = []): OpenAIView {
  const blocks = answer.blocks;
  const textSignature = textSignatures.at(-1);
  return {
    text: blocks.map((b) => (b.type === 'text' ? b.text : '')).join(''),
    reasoning: blocks.map((b) => (b.type === 'thinking' ? b.thinking : '')).join(''),
    signatures: blocks.flatMap((b) => (b.type === 'thinking' && b.signature ? [b.signature] : [])),
    toolCalls: blocks.flatMap((b) =>
      b.type === 'tool_use'
        ? [
            {
              ...(b.id ? { id: b.id } : {}),
              name: b.name,
              arguments: b.arguments === '' ? '{}' : b.arguments,
              ...(b.geminiSignature ? { thoughtSignature: b.geminiSignature } : {}),
            },
          ]
        : [],
    ),
    ...(textSignature !== undefined ? { textSignature } : {}),
    finishReason: answer.finish,
    usage: {
      prompt_tokens: answer.usage.input,
      completion_tokens: answer.usage.output,
      cached_tokens: answer.usage.cacheRead,
      reasoning_tokens: answer.usage.reasoning,
    },
  };
}

export type AnthropicViewBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string | undefined; name: string; input: unknown };

export interface AnthropicView {
  content: AnthropicViewBlock[];
  stop_reason: string;
  usage: {
    input_tokens: number;
    cache_creation_input_tokens: number;
    cache_read_input_tokens: number;
    output_tokens: number;
  };
}

const STOP_REASON: Record<Finish, string> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  content_filter: 'refusal',
};

/**
 * What a Messages client sees: reasoning without a signature gets `""`; Gemini thought signatures ride in
 * thinking signatures prefixed `gemini:thought:` / `gemini:function_call:` (the latter in an empty
 * thinking block before its tool_use), and the text's (`textSignatures`, the last one kept) as
 * `gemini:text:` in an empty thinking block right after the text block; tool input is the parsed
 * arguments; cache reads and writes are counted beside input_tokens. `id: undefined` on a tool_use means
 * "any id the gateway made up".
 */
export function anthropicView(answer: Answer, textSignatures: readonly string[] = []): AnthropicView {
  const content: AnthropicViewBlock[] = [];
  for (const block of answer.blocks) {
    switch (block.type) {
      case 'text':
        content.push(block);
        break;
      case 'thinking':
        content.push({
          type: 'thinking',
          thinking: block.thinking,
          signature:
            block.signature ?? (block.geminiSignature ? `gemini:thought:${block.geminiSignature}` : ''),
        });
        break;
      case 'redacted_thinking':
        content.push(block);
        break;
      case 'tool_use':
        if (block.geminiSignature)
          content.push({
            type: 'thinking',
            thinking: '',
            signature: `gemini:function_call:${block.geminiSignature}`,
          });
        content.push({ type: 'tool_use', id: block.id, name: block.name, input: toolInput(block.arguments) });
        break;
      case 'other':
        break;
    }
  }
  const signature = textSignatures.at(-1);
  if (signature !== undefined) {
    const texts = content.filter((block) => block.type === 'text');
    if (texts.length !== 1) throw new Error('anthropicView: text signatures need exactly one text block');
    content.splice(content.indexOf(texts[0]!) + 1, 0, {
      type: 'thinking',
      thinking: '',
      signature: `gemini:text:${signature}`,
    });
  }
  const { input, cacheRead, cacheWrite, output } = answer.usage;
  return {
    content,
    stop_reason: answer.anthropicStopReason ?? STOP_REASON[answer.finish],
    usage: {
      input_tokens: Math.max(0, input - cacheRead - cacheWrite),
      cache_creation_input_tokens: cacheWrite,
      cache_read_input_tokens: cacheRead,
      output_tokens: output,
    },
  };
}

function toolInput(args: string): unknown {
  if (args.trim() === '') return {};
  return JSON.parse(args) as unknown;
}
