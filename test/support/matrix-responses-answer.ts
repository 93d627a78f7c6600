/**
 * The OpenAI Responses side of the matrix's reading (matrix-answer.ts): what a recorded Responses answer
 * says (`answerFromResponse`, from the final Response object of a stream or a JSON body), what a Responses
 * client sees of a Response (`responsesViewOf`), and what it must see for a recording of another wire
 * (`responsesView`, the documented mapping of docs/responses.md and continuation-envelope.ts: reasoning
 * summaries, signatures in `jx1.` envelopes, Gemini signatures in carrier reasoning items).
 */

import { sseData } from './fixture-expectations.js';
import type { Answer, AnswerBlock, Finish } from './matrix-answer.js';

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (typeof value === 'object' && value !== null ? (value as Json) : {});
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const num = (value: unknown): number => (typeof value === 'number' ? value : 0);
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

// ---------------------------------------------------------------- a recorded Responses answer

/** The Response a recorded stream ends with (its terminal event), or a recorded JSON body as it is. */
export function recordedResponse(body: string, contentType: string): Json {
  if (!contentType.includes('event-stream')) return JSON.parse(body) as Json;
  const terminal = sseData(body)
    .filter((event) =>
      ['response.completed', 'response.incomplete', 'response.failed'].includes(str(event.type)),
    )
    .at(-1);
  if (!terminal) throw new Error('matrix-responses-answer: the recording has no terminal event');
  return obj(terminal.response);
}

/**
 * A Response as neutral blocks: output text, reasoning (summary text; OpenAI's own `encrypted_content` as
 * its signature, the blob the next turn must carry back), function calls by call_id, hosted-tool items as
 * `other` (only the fast path carries them).
 */
export function answerFromResponse(response: Json): Answer {
  const blocks: AnswerBlock[] = [];
  const text = (piece: string): void => {
    if (piece === '') return;
    const last = blocks.at(-1);
    if (last?.type === 'text') last.text += piece;
    else blocks.push({ type: 'text', text: piece });
  };
  for (const raw of arr(response.output)) {
    const item = obj(raw);
    switch (item.type) {
      case 'message':
        for (const part of arr(item.content).map(obj))
          text(part.type === 'refusal' ? str(part.refusal) : str(part.text));
        break;
      case 'reasoning': {
        const encrypted = str(item.encrypted_content);
        blocks.push({
          type: 'thinking',
          thinking: reasoningTextOf(item),
          ...(encrypted ? { signature: encrypted } : {}),
        });
        break;
      }
      case 'function_call':
        blocks.push({
          type: 'tool_use',
          id: str(item.call_id),
          name: str(item.name),
          arguments: str(item.arguments),
        });
        break;
      default:
        blocks.push({ type: 'other', blockType: str(item.type) });
    }
  }
  const usage = obj(response.usage);
  const input = obj(usage.input_tokens_details);
  return {
    blocks,
    finish: finishOf(response, blocks),
    usage: {
      input: num(usage.input_tokens),
      cacheRead: num(input.cached_tokens),
      cacheWrite: num(input.cache_write_tokens),
      output: num(usage.output_tokens),
      reasoning: num(obj(usage.output_tokens_details).reasoning_tokens),
    },
  };
}

function finishOf(response: Json, blocks: AnswerBlock[]): Finish {
  if (response.status === 'incomplete')
    return obj(response.incomplete_details).reason === 'content_filter' ? 'content_filter' : 'length';
  return blocks.some((b) => b.type === 'tool_use') ? 'tool_calls' : 'stop';
}

/** Summary parts, else reasoning_text content (open-weight models return the raw reasoning there). */
function reasoningTextOf(item: Json): string {
  const summary = arr(item.summary)
    .map((part) => str(obj(part).text))
    .join('');
  if (summary !== '') return summary;
  return arr(item.content)
    .map((part) => str(obj(part).text))
    .join('');
}

/** Gemini signatures on plain text parts, in order: on Responses they ride in a carrier after the message. */
export function geminiTextSignatures(sse: string): string[] {
  const out: string[] = [];
  for (const chunk of sseData(sse)) {
    const candidate = obj(arr(chunk.candidates)[0]);
    for (const part of arr(obj(candidate.content).parts).map(obj)) {
      if (part.functionCall !== undefined || part.thought === true) continue;
      if (typeof part.text === 'string' && str(part.thoughtSignature) !== '')
        out.push(str(part.thoughtSignature));
    }
  }
  return out;
}

// ---------------------------------------------------------------- what a Responses client sees

/** What `encrypted_content` carries: OpenAI's own blob, or a Junction `jx1.` envelope's fields. */
export interface Carried {
  openai?: string;
  signature?: string;
  redactedData?: string;
  gemini?: string;
  /** Set on a carrier item: the kind of item its data belongs to. */
  target?: 'function_call' | 'message';
}

export type ResponsesViewItem =
  | { type: 'message'; text: string }
  | { type: 'reasoning'; summary: string; carried: Carried }
  /** `call_id` is undefined where the provider sends no id (Gemini): the gateway makes one up. */
  | { type: 'function_call'; call_id?: string; name: string; arguments: string }
  | { type: 'other'; itemType: string };

export interface ResponsesView {
  status: string;
  items: ResponsesViewItem[];
  usage: {
    input_tokens: number;
    cached_tokens: number;
    cache_write_tokens: number;
    output_tokens: number;
    reasoning_tokens: number;
    total_tokens: number;
  };
}

const ENVELOPE = 'jx1.';

/** Reads `encrypted_content` the way Junction documents it (continuation-envelope.ts), without its code. */
export function carriedBy(encrypted: unknown): Carried {
  if (typeof encrypted !== 'string' || encrypted === '') return {};
  if (!encrypted.startsWith(ENVELOPE)) return { openai: encrypted };
  const data = obj(JSON.parse(Buffer.from(encrypted.slice(ENVELOPE.length), 'base64url').toString('utf8')));
  if (data.v !== 1) throw new Error(`unknown envelope version ${JSON.stringify(data.v)}`);
  const gemini = str(obj(obj(data.providerData).gemini).thoughtSignature);
  const target = str(obj(data.target).type);
  return {
    ...(typeof data.encryptedContent === 'string' ? { openai: data.encryptedContent } : {}),
    ...(typeof data.signature === 'string' ? { signature: data.signature } : {}),
    ...(typeof data.redactedData === 'string' ? { redactedData: data.redactedData } : {}),
    ...(gemini ? { gemini } : {}),
    ...(target === 'function_call' || target === 'message' ? { target } : {}),
  };
}

/**
 * A Response as its client reads it. Carriers are checked to sit where the envelope says: right before
 * the function_call whose call_id they name, right after the message whose id they name.
 */
export function responsesViewOf(response: Json): ResponsesView {
  const output = arr(response.output).map(obj);
  const items = output.map((item, index): ResponsesViewItem => {
    switch (item.type) {
      case 'message':
        return {
          type: 'message',
          text: arr(item.content)
            .map(obj)
            .map((part) => (part.type === 'refusal' ? str(part.refusal) : str(part.text)))
            .join(''),
        };
      case 'reasoning': {
        const carried = carriedBy(item.encrypted_content);
        if (carried.target) expectCarrierPlaced(item, output, index);
        return { type: 'reasoning', summary: reasoningTextOf(item), carried };
      }
      case 'function_call':
        return {
          type: 'function_call',
          call_id: str(item.call_id),
          name: str(item.name),
          arguments: str(item.arguments),
        };
      default:
        return { type: 'other', itemType: str(item.type) };
    }
  });
  const usage = obj(response.usage);
  const input = obj(usage.input_tokens_details);
  return {
    status: str(response.status),
    items,
    usage: {
      input_tokens: num(usage.input_tokens),
      cached_tokens: num(input.cached_tokens),
      cache_write_tokens: num(input.cache_write_tokens),
      output_tokens: num(usage.output_tokens),
      reasoning_tokens: num(obj(usage.output_tokens_details).reasoning_tokens),
      total_tokens: num(usage.total_tokens),
    },
  };
}

function expectCarrierPlaced(carrier: Json, output: Json[], index: number): void {
  const envelope = obj(
    JSON.parse(
      Buffer.from(str(carrier.encrypted_content).slice(ENVELOPE.length), 'base64url').toString('utf8'),
    ),
  );
  const target = obj(envelope.target);
  if (arr(carrier.summary).length > 0) throw new Error(`carrier ${str(carrier.id)} has a summary`);
  if (target.type === 'function_call') {
    const next = output[index + 1];
    if (next?.type !== 'function_call' || next.call_id !== target.call_id)
      throw new Error(`carrier ${str(carrier.id)} is not right before function_call ${str(target.call_id)}`);
  } else {
    const previous = output[index - 1];
    if (previous?.type !== 'message' || previous.id !== target.id)
      throw new Error(`carrier ${str(carrier.id)} is not right after message ${str(target.id)}`);
  }
}

// ---------------------------------------------------------------- the projection

/**
 * What a Responses client sees for a recording of another wire, through the translated path: text as
 * message items, each thinking block as a reasoning item (summary = the thinking text; an Anthropic
 * signature, redacted data or a Gemini thought signature in a `jx1.` envelope), a Gemini signature of a
 * function call in a carrier right before the call, one of text (`textSignatures`, the last of the message
 * wins) in a carrier right after the message; usage in OpenAI semantics (input counts cached tokens).
 */
export function responsesView(answer: Answer, textSignatures: readonly string[] = []): ResponsesView {
  const items: ResponsesViewItem[] = [];
  for (const block of answer.blocks) {
    switch (block.type) {
      case 'text':
        items.push({ type: 'message', text: block.text });
        break;
      case 'thinking':
        items.push({
          type: 'reasoning',
          summary: block.thinking,
          carried: {
            ...(block.signature ? { signature: block.signature } : {}),
            ...(block.geminiSignature ? { gemini: block.geminiSignature } : {}),
          },
        });
        break;
      case 'redacted_thinking':
        items.push({ type: 'reasoning', summary: '', carried: { redactedData: block.data } });
        break;
      case 'tool_use':
        if (block.geminiSignature)
          items.push({
            type: 'reasoning',
            summary: '',
            carried: { gemini: block.geminiSignature, target: 'function_call' },
          });
        items.push({
          type: 'function_call',
          ...(block.id ? { call_id: block.id } : {}),
          name: block.name,
          arguments: block.arguments,
        });
        break;
      case 'other':
        break;
    }
  }
  const signature = textSignatures.at(-1);
  if (signature !== undefined) {
    const messages = items.filter((item) => item.type === 'message');
    if (messages.length !== 1) throw new Error('responsesView: text signatures need exactly one message');
    items.splice(items.indexOf(messages[0]!) + 1, 0, {
      type: 'reasoning',
      summary: '',
      carried: { gemini: signature, target: 'message' },
    });
  }
  const { input, cacheRead, cacheWrite, output, reasoning } = answer.usage;
  return {
    status: answer.finish === 'length' || answer.finish === 'content_filter' ? 'incomplete' : 'completed',
    items,
    usage: {
      input_tokens: input,
      cached_tokens: cacheRead,
      cache_write_tokens: cacheWrite,
      output_tokens: output,
      reasoning_tokens: reasoning,
      total_tokens: input + output,
    },
  };
}
