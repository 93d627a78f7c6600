/**
 * Gemini streamGenerateContent?alt=sse -> canonical events. Every SSE message is a whole
 * GenerateContentResponse holding the next piece of candidates[0]; usage and finish come with the last.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { CanonicalEvent } from '../../core/canonical-events.js';
import type { ProviderData } from '../../core/canonical-request.js';
import { GatewayError } from '../../core/errors.js';
import type { ReadyIterator } from '../../core/ready-iterator.js';
import type { Usage } from '../../core/usage.js';
import type { SseMessage } from '../shared/sse.js';
import { parseJsonData } from '../shared/sse.js';
import { stepDecoder } from '../shared/step-decoder.js';
import type { JsonTextPath } from './clean-gemini-schema.js';
import { geminiStreamError } from './gemini-error.js';
import { PartialArgsBuilder, partialArgSchema } from './gemini-partial-args.js';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.js';
import { restoreJsonTextArgs } from './restore-json-text-args.js';

const optionalString = z.string().optional().catch(undefined);
const optionalNumber = z.number().optional().catch(undefined);

const chunkSchema = z.looseObject({
  candidates: z
    .array(
      z.looseObject({
        content: z
          .looseObject({ parts: z.array(z.unknown()).optional().catch(undefined) })
          .optional()
          .catch(undefined),
        finishReason: optionalString,
      }),
    )
    .optional()
    .catch(undefined),
  usageMetadata: z
    .looseObject({
      promptTokenCount: optionalNumber,
      candidatesTokenCount: optionalNumber,
      thoughtsTokenCount: optionalNumber,
      cachedContentTokenCount: optionalNumber,
      toolUsePromptTokenCount: optionalNumber,
    })
    .optional()
    .catch(undefined),
  promptFeedback: z.looseObject({ blockReason: optionalString }).optional().catch(undefined),
  responseId: optionalString,
  modelVersion: optionalString,
  createTime: optionalString,
});

const partSchema = z.looseObject({
  text: optionalString,
  thought: z.boolean().optional().catch(undefined),
  thoughtSignature: optionalString,
  functionCall: z
    .looseObject({
      id: optionalString,
      name: optionalString,
      args: z.record(z.string(), z.unknown()).optional().catch(undefined),
      partialArgs: z.array(partialArgSchema).optional().catch(undefined),
      willContinue: z.boolean().optional().catch(undefined),
    })
    .optional()
    .catch(undefined),
});

type Chunk = z.infer<typeof chunkSchema>;
type Part = z.infer<typeof partSchema>;
type FunctionCall = NonNullable<Part['functionCall']>;

export interface DecodeGeminiOptions {
  /** The provider name for errors. */
  provider?: string;
  /** Tool call id generator (tests make it deterministic). */
  newToolCallId?: () => string;
  /**
   * Per tool name, where the request sent a free-form object as JSON text (clean-gemini-schema.ts); the
   * call's arguments get the objects back there.
   */
  jsonTextArgs?: ReadonlyMap<string, readonly JsonTextPath[]>;
}

/** A synchronous step per SSE message behind one plain iterator (`stepDecoder`), not an async generator. */
export function decodeGeminiStream(
  messages: AsyncIterable<SseMessage>,
  options: DecodeGeminiOptions = {},
): ReadyIterator<CanonicalEvent> {
  const provider = options.provider ?? 'gemini';
  const state = new GeminiStreamState(options.newToolCallId ?? defaultToolCallId, options.jsonTextArgs);
  let sawData = false;
  return stepDecoder(messages, {
    step(message) {
      const data = message.data.trim();
      if (data === '' || data === '[DONE]') return NONE;
      const json = parseJsonData(data);
      if (json === undefined)
        throw new GatewayError('transient', `${provider}: malformed stream chunk`, { provider });
      if (typeof json === 'object' && json !== null && 'error' in json)
        throw geminiStreamError(provider, json);
      sawData = true;
      const chunk = chunkSchema.safeParse(json);
      if (!chunk.success) return NONE;
      const out: CanonicalEvent[] = [];
      state.chunk(chunk.data, out);
      return out;
    },
    end() {
      if (!sawData)
        throw new GatewayError('transient', `${provider}: stream ended without data`, { provider });
      const out: CanonicalEvent[] = [];
      state.end(out);
      return out;
    },
  });
}

const NONE: readonly CanonicalEvent[] = [];

function defaultToolCallId(): string {
  return `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
}

function signatureData(signature: string | undefined): ProviderData | undefined {
  return signature === undefined ? undefined : { gemini: { thoughtSignature: signature } };
}

class GeminiStreamState {
  private started = false;
  private toolCalls = 0;
  /** A call whose arguments are still arriving as partialArgs. */
  private pending: { index: number; name: string; args: PartialArgsBuilder } | undefined;
  private usage: Partial<Record<'prompt' | 'candidates' | 'thoughts' | 'cached' | 'toolPrompt', number>> = {};
  private finishReason: string | undefined;
  private blockReason: string | undefined;

  constructor(
    private readonly newToolCallId: () => string,
    private readonly jsonTextArgs: ReadonlyMap<string, readonly JsonTextPath[]> | undefined,
  ) {}

  chunk(chunk: Chunk, out: CanonicalEvent[]): void {
    if (!this.started) {
      this.started = true;
      const start: CanonicalEvent = { type: 'response-start' };
      if (chunk.responseId !== undefined) start.id = chunk.responseId;
      if (chunk.modelVersion !== undefined) start.model = chunk.modelVersion;
      const created = chunk.createTime === undefined ? Number.NaN : Date.parse(chunk.createTime);
      if (!Number.isNaN(created)) start.created = Math.floor(created / 1000);
      out.push(start);
    }
    this.readUsage(chunk.usageMetadata);
    if (chunk.promptFeedback?.blockReason !== undefined) this.blockReason = chunk.promptFeedback.blockReason;

    // Only the first candidate is streamed: the gateway never asks for more.
    const candidate = chunk.candidates?.[0];
    for (const raw of candidate?.content?.parts ?? []) {
      const part = partSchema.safeParse(raw);
      if (part.success) this.part(part.data, out);
    }
    if (candidate?.finishReason !== undefined) this.finishReason = candidate.finishReason;
  }

  end(out: CanonicalEvent[]): void {
    this.closePending(out);
    const { prompt, candidates, thoughts, cached, toolPrompt } = this.usage;
    if (Object.keys(this.usage).length > 0) {
      const usage: Usage = {
        inputTokens: (prompt ?? 0) + (toolPrompt ?? 0),
        outputTokens: (candidates ?? 0) + (thoughts ?? 0),
      };
      if (cached !== undefined) usage.cachedInputTokens = cached;
      if (thoughts !== undefined) usage.reasoningTokens = thoughts;
      out.push({ type: 'usage', usage });
    }
    if (this.finishReason === undefined && this.blockReason !== undefined) {
      out.push({ type: 'finish', reason: 'content_filter', raw: this.blockReason });
      return;
    }
    const finish: CanonicalEvent = {
      type: 'finish',
      reason: mapGeminiFinishReason(this.finishReason, this.toolCalls > 0),
    };
    if (this.finishReason !== undefined) finish.raw = this.finishReason;
    out.push(finish);
  }

  private part(part: Part, out: CanonicalEvent[]): void {
    if (part.functionCall) {
      this.functionCall(part.functionCall, part.thoughtSignature, out);
      return;
    }
    if (part.text === undefined) return;
    this.closePending(out);
    const providerData = signatureData(part.thoughtSignature);
    if (part.thought === true) {
      if (part.text !== '') out.push({ type: 'reasoning-delta', text: part.text });
      if (providerData) out.push({ type: 'reasoning-provider-data', providerData });
      return;
    }
    // An empty text part can still carry the turn's signature (Gemini 3 sends it last).
    if (part.text === '' && !providerData) return;
    out.push(
      providerData
        ? { type: 'text-delta', text: part.text, providerData }
        : { type: 'text-delta', text: part.text },
    );
  }

  private functionCall(call: FunctionCall, signature: string | undefined, out: CanonicalEvent[]): void {
    if (this.pending && call.name === undefined) {
      for (const arg of call.partialArgs ?? []) this.pending.args.apply(arg);
      // `willContinue` is set on every piece but the last (an empty `{}` or the final partialArgs).
      if (call.willContinue !== true) this.closePending(out);
      return;
    }
    this.closePending(out);
    if (call.name === undefined) return;

    const index = this.toolCalls++;
    const start: CanonicalEvent = {
      type: 'tool-call-start',
      index,
      id: call.id ?? this.newToolCallId(),
      name: call.name,
    };
    const providerData = signatureData(signature);
    if (providerData) start.providerData = providerData;
    out.push(start);

    if (call.willContinue === true && call.args === undefined) {
      const args = new PartialArgsBuilder();
      for (const arg of call.partialArgs ?? []) args.apply(arg);
      this.pending = { index, name: call.name, args };
      return;
    }
    out.push(
      { type: 'tool-call-delta', index, argumentsDelta: this.argumentsText(call.name, call.args ?? {}) },
      { type: 'tool-call-end', index },
    );
  }

  private argumentsText(name: string, args: Record<string, unknown>): string {
    const paths = this.jsonTextArgs?.get(name);
    return JSON.stringify(paths ? restoreJsonTextArgs(args, paths) : args);
  }

  private closePending(out: CanonicalEvent[]): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    out.push(
      {
        type: 'tool-call-delta',
        index: pending.index,
        argumentsDelta: this.argumentsText(pending.name, pending.args.value),
      },
      { type: 'tool-call-end', index: pending.index },
    );
  }

  /** Each chunk repeats the running totals; the last value of each field wins. */
  private readUsage(metadata: Chunk['usageMetadata']): void {
    if (!metadata) return;
    const fields = {
      prompt: metadata.promptTokenCount,
      candidates: metadata.candidatesTokenCount,
      thoughts: metadata.thoughtsTokenCount,
      cached: metadata.cachedContentTokenCount,
      toolPrompt: metadata.toolUsePromptTokenCount,
    };
    for (const [key, value] of Object.entries(fields) as Array<[keyof typeof fields, number | undefined]>) {
      if (value !== undefined) this.usage[key] = value;
    }
  }
}
