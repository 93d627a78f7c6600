/**
 * Canonical events -> Responses stream events (as objects) and the Response they add up to. The SSE
 * encoder frames these; the WebSocket mode sends them as JSON messages; the store keeps them for
 * `GET /v1/responses/{id}?stream=true` replays. Sequence:
 *
 *   response.created, response.in_progress,
 *   per output item: output_item.added, then
 *     message:       content_part.added, output_text.delta*, output_text.annotation.added*, output_text.done,
 *                    content_part.done
 *     reasoning:     reasoning_summary_part.added, reasoning_summary_text.delta*, ..._text.done, ..._part.done
 *     function_call: function_call_arguments.delta*, function_call_arguments.done
 *   output_item.done,
 *   response.completed | response.incomplete (finish length / content_filter) | response.failed + error
 *
 * Item boundaries follow the canonical model: text after reasoning closes the reasoning item, a signature
 * closes its reasoning item, a redacted block is a whole reasoning item, tool calls are items of their own
 * (closed by tool-call-end, so parallel calls may interleave). Continuation data (Anthropic signatures,
 * redacted thinking, Gemini thought signatures) rides in `encrypted_content` envelopes, see
 * continuation-envelope.ts. Every emitted event and response snapshot is a copy: later events never
 * change earlier ones.
 *
 * Citations become url_citation annotations on the message being written; one that arrives while no message
 * is open waits for the next message (and is dropped if none follows).
 */
import type { CanonicalEvent, Citation, FinishReason } from '../../core/canonical-events.js';
import type { ProviderData } from '../../core/canonical-request.js';
import type { GatewayError } from '../../core/errors.js';
import type { Usage } from '../../core/usage.js';
import { mergeUsage } from '../../core/usage.js';
import { encodeContinuation, nonOpenAIProviderData } from './continuation-envelope.js';
import type { ResponsesUrlAnnotation } from './openai-responses-annotations.js';
import { toResponsesAnnotation } from './openai-responses-annotations.js';
import { errorEventFields, responseErrorCode } from './openai-responses-error.js';
import { newId } from './openai-responses-ids.js';
import type { OutputItem, ResponseObject } from './openai-responses-response-object.js';
import { responseEnvelope } from './openai-responses-response-object.js';
import type { ResponsesRequest } from './openai-responses-schema.js';
import { toResponsesUsage } from './openai-responses-usage.js';

/** One Responses stream event, e.g. {type:'response.output_text.delta', sequence_number, item_id, ...}. */
export type ResponseStreamEvent = Record<string, unknown> & { type: string; sequence_number: number };

export interface ResponsesEventBuilderOptions {
  /** The model name to report: what the client asked for. */
  model: string;
  /** The validated create request, echoed into the Response object. */
  request?: ResponsesRequest;
  /** A pre-assigned response id (so a route can store under it before the first event); minted otherwise. */
  responseId?: string;
  /** Unix seconds; now by default. */
  createdAt?: number;
  /** Status of the response.created snapshot: 'queued' for background responses. */
  initialStatus?: 'in_progress' | 'queued';
  now?: () => number;
}

interface MessageState {
  outputIndex: number;
  id: string;
  text: string;
  /** Where this message's text starts in the whole response text (canonical citation offsets). */
  start: number;
  annotations: ResponsesUrlAnnotation[];
  providerData?: ProviderData;
}

interface ReasoningState {
  outputIndex: number;
  id: string;
  text: string;
  summaryOpen: boolean;
  signature?: string;
  encryptedContent?: string;
  providerData?: ProviderData;
}

interface ToolState {
  outputIndex: number;
  id: string;
  callId: string;
  name: string;
  arguments: string;
  done: boolean;
}

export class ResponsesEventBuilder {
  /** Every event emitted so far, in order. */
  readonly events: ResponseStreamEvent[] = [];
  private readonly snapshot: ResponseObject;
  private readonly now: () => number;
  private readonly initialStatus: 'in_progress' | 'queued';
  private sequence = 0;
  private started = false;
  private ended = false;
  private nextOutputIndex = 0;
  private message: MessageState | undefined;
  private reasoning: ReasoningState | undefined;
  private readonly tools = new Map<number, ToolState>();
  private usage: Usage | undefined;
  private finishReason: FinishReason | undefined;
  /** Characters of text emitted so far, across messages. */
  private textLength = 0;
  /** Citations that arrived while no message was open. */
  private pendingCitations: Citation[] = [];

  constructor(options: ResponsesEventBuilderOptions) {
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
    this.initialStatus = options.initialStatus ?? 'in_progress';
    this.snapshot = responseEnvelope({
      id: options.responseId ?? newId('resp'),
      createdAt: options.createdAt ?? this.now(),
      model: options.model,
      status: this.initialStatus,
      ...(options.request ? { request: options.request } : {}),
    });
  }

  get responseId(): string {
    return this.snapshot.id;
  }

  /** Whether finish() or fail() has run. */
  get isEnded(): boolean {
    return this.ended;
  }

  /** A copy of the Response as it stands: final after finish() or fail(). */
  response(): ResponseObject {
    return structuredClone(this.snapshot);
  }

  /** The wire events for one canonical event (none after the response ended). */
  push(event: CanonicalEvent): ResponseStreamEvent[] {
    if (this.ended) return [];
    const out = this.start();
    switch (event.type) {
      case 'response-start':
        break;
      case 'usage':
        this.usage = mergeUsage(this.usage, event.usage);
        break;
      case 'finish':
        this.finishReason = event.reason;
        break;
      case 'text-delta':
        this.text(event.text, event.providerData, out);
        break;
      case 'citation':
        if (this.message) this.annotate(this.message, event.citation, out);
        else this.pendingCitations.push(event.citation);
        break;
      case 'reasoning-delta':
        if (event.text === '') break;
        this.openReasoning(out);
        this.reasoningText(event.text, out);
        break;
      case 'reasoning-signature':
        this.openReasoning(out).signature = event.signature;
        this.closeReasoning(out);
        break;
      case 'reasoning-redacted':
        this.closeMessage(out);
        this.closeReasoning(out);
        this.wholeReasoningItem(encodeContinuation({ redactedData: event.data }), out);
        break;
      case 'reasoning-provider-data': {
        const state = this.openReasoning(out);
        const { openai, ...rest } = event.providerData;
        const encrypted = openai?.encryptedContent;
        if (typeof encrypted === 'string') state.encryptedContent = encrypted;
        if (Object.keys(rest).length > 0)
          state.providerData = { ...state.providerData, ...(rest as ProviderData) };
        break;
      }
      case 'tool-call-start':
        this.startTool(event.index, event.id, event.name, event.providerData, out);
        break;
      case 'tool-call-delta': {
        const tool = this.tools.get(event.index);
        if (!tool || tool.done || event.argumentsDelta === '') break;
        tool.arguments += event.argumentsDelta;
        out.push(
          this.emit({
            type: 'response.function_call_arguments.delta',
            item_id: tool.id,
            output_index: tool.outputIndex,
            delta: event.argumentsDelta,
          }),
        );
        break;
      }
      case 'tool-call-end': {
        const tool = this.tools.get(event.index);
        if (tool) this.closeTool(tool, 'completed', out);
        break;
      }
    }
    return out;
  }

  /** Closes the open item so the next part starts a new one (used when replaying collected parts). */
  endItem(): ResponseStreamEvent[] {
    if (this.ended) return [];
    const out = this.start();
    this.closeMessage(out);
    this.closeReasoning(out);
    return out;
  }

  /** Closes every open item and emits response.completed, or response.incomplete after length / content_filter. */
  finish(): ResponseStreamEvent[] {
    if (this.ended) return [];
    const out = this.start();
    const incomplete = this.finishReason === 'length' || this.finishReason === 'content_filter';
    const itemStatus = incomplete ? 'incomplete' : 'completed';
    this.closeMessage(out, itemStatus);
    this.closeReasoning(out);
    for (const tool of this.tools.values()) this.closeTool(tool, itemStatus, out);
    this.ended = true;
    const response = this.snapshot;
    if (this.usage) response.usage = toResponsesUsage(this.usage);
    if (incomplete) {
      response.status = 'incomplete';
      response.incomplete_details = {
        reason: this.finishReason === 'length' ? 'max_output_tokens' : 'content_filter',
      };
      out.push(this.emit({ type: 'response.incomplete', response: this.response() }));
    } else {
      response.status = 'completed';
      response.completed_at = this.now();
      out.push(this.emit({ type: 'response.completed', response: this.response() }));
    }
    return out;
  }

  /**
   * A failure after the stream started: `response.failed` (output so far; open items marked incomplete),
   * then `error`. Before anything was sent only the `error` event is emitted.
   */
  fail(error: GatewayError): ResponseStreamEvent[] {
    if (this.ended) return [];
    this.ended = true;
    const out: ResponseStreamEvent[] = [];
    const response = this.snapshot;
    response.status = 'failed';
    response.error = { code: responseErrorCode(error.failureClass), message: error.message };
    if (this.usage) response.usage = toResponsesUsage(this.usage);
    for (const item of this.openItems())
      response.output[item.outputIndex] = { ...item.item, status: 'incomplete' };
    response.output = response.output.filter(Boolean);
    if (this.started) out.push(this.emit({ type: 'response.failed', response: this.response() }));
    out.push(this.emit({ type: 'error', ...errorEventFields(error) }));
    return out;
  }

  /** Marks the response cancelled (background cancel); emits nothing, returns the final Response. */
  cancel(): ResponseObject {
    if (!this.ended) {
      this.ended = true;
      this.snapshot.status = 'cancelled';
    }
    return this.response();
  }

  private start(): ResponseStreamEvent[] {
    if (this.started) return [];
    this.started = true;
    const created = this.emit({ type: 'response.created', response: this.response() });
    this.snapshot.status = 'in_progress';
    const inProgress = this.emit({ type: 'response.in_progress', response: this.response() });
    return [created, inProgress];
  }

  private emit(event: Omit<ResponseStreamEvent, 'sequence_number'> & { type: string }): ResponseStreamEvent {
    // Numbered in place (every caller passes a fresh literal): a spread copy with the number added takes
    // V8's slow clone path on Node 20, 0.9 µs per event against 0.07 (bench/profile-findings.md, item 22).
    const full = event as ResponseStreamEvent;
    full.sequence_number = this.sequence++;
    this.events.push(full);
    return full;
  }

  private allocate(): number {
    return this.nextOutputIndex++;
  }

  private added(outputIndex: number, item: OutputItem): ResponseStreamEvent {
    return this.emit({
      type: 'response.output_item.added',
      output_index: outputIndex,
      item: structuredClone(item),
    });
  }

  private done(outputIndex: number, item: OutputItem): ResponseStreamEvent {
    this.snapshot.output[outputIndex] = item;
    return this.emit({
      type: 'response.output_item.done',
      output_index: outputIndex,
      item: structuredClone(item),
    });
  }

  // --- message items -------------------------------------------------------------------------------

  private text(text: string, providerData: ProviderData | undefined, out: ResponseStreamEvent[]): void {
    if (text === '') {
      // A bare signature (Gemini sends one on an empty text part) belongs to the message being written.
      if (providerData && this.message)
        this.message.providerData = { ...this.message.providerData, ...providerData };
      return;
    }
    this.closeReasoning(out);
    let message = this.message;
    if (!message) {
      message = {
        outputIndex: this.allocate(),
        id: newId('msg'),
        text: '',
        start: this.textLength,
        annotations: [],
      };
      this.message = message;
      out.push(
        this.added(message.outputIndex, {
          id: message.id,
          type: 'message',
          status: 'in_progress',
          content: [],
          role: 'assistant',
        }),
        this.emit({
          type: 'response.content_part.added',
          item_id: message.id,
          output_index: message.outputIndex,
          content_index: 0,
          part: { type: 'output_text', annotations: [], logprobs: [], text: '' },
        }),
      );
    }
    if (providerData) message.providerData = { ...message.providerData, ...providerData };
    message.text += text;
    this.textLength += text.length;
    out.push(
      this.emit({
        type: 'response.output_text.delta',
        item_id: message.id,
        output_index: message.outputIndex,
        content_index: 0,
        delta: text,
        logprobs: [],
      }),
    );
    for (const citation of this.pendingCitations.splice(0)) this.annotate(message, citation, out);
  }

  private annotate(message: MessageState, citation: Citation, out: ResponseStreamEvent[]): void {
    const annotation = toResponsesAnnotation(citation, message.start, message.text.length);
    if (!annotation) return;
    message.annotations.push(annotation);
    out.push(
      this.emit({
        type: 'response.output_text.annotation.added',
        item_id: message.id,
        output_index: message.outputIndex,
        content_index: 0,
        annotation_index: message.annotations.length - 1,
        annotation: { ...annotation },
      }),
    );
  }

  private closeMessage(out: ResponseStreamEvent[], status: 'completed' | 'incomplete' = 'completed'): void {
    const message = this.message;
    if (!message) return;
    this.message = undefined;
    const part = {
      type: 'output_text',
      annotations: structuredClone(message.annotations),
      logprobs: [],
      text: message.text,
    };
    const base = { item_id: message.id, output_index: message.outputIndex, content_index: 0 };
    out.push(
      this.emit({ type: 'response.output_text.done', ...base, text: message.text, logprobs: [] }),
      this.emit({ type: 'response.content_part.done', ...base, part }),
      this.done(message.outputIndex, {
        id: message.id,
        type: 'message',
        status,
        content: [part],
        role: 'assistant',
      }),
    );
    const carried = nonOpenAIProviderData(message.providerData);
    if (carried) {
      this.carrier(
        encodeContinuation({ providerData: carried, target: { type: 'message', id: message.id } }),
        out,
      );
    }
  }

  // --- reasoning items -----------------------------------------------------------------------------

  private openReasoning(out: ResponseStreamEvent[]): ReasoningState {
    if (this.reasoning) return this.reasoning;
    this.closeMessage(out);
    const state: ReasoningState = {
      outputIndex: this.allocate(),
      id: newId('rs'),
      text: '',
      summaryOpen: false,
    };
    this.reasoning = state;
    out.push(this.added(state.outputIndex, { id: state.id, type: 'reasoning', summary: [] }));
    return state;
  }

  private reasoningText(text: string, out: ResponseStreamEvent[]): void {
    const state = this.reasoning!;
    const base = { item_id: state.id, output_index: state.outputIndex, summary_index: 0 };
    if (!state.summaryOpen) {
      state.summaryOpen = true;
      out.push(
        this.emit({
          type: 'response.reasoning_summary_part.added',
          ...base,
          part: { type: 'summary_text', text: '' },
        }),
      );
    }
    state.text += text;
    out.push(this.emit({ type: 'response.reasoning_summary_text.delta', ...base, delta: text }));
  }

  private closeReasoning(out: ResponseStreamEvent[]): void {
    const state = this.reasoning;
    if (!state) return;
    this.reasoning = undefined;
    const summary = state.summaryOpen ? [{ type: 'summary_text', text: state.text }] : [];
    if (state.summaryOpen) {
      const base = { item_id: state.id, output_index: state.outputIndex, summary_index: 0 };
      out.push(
        this.emit({ type: 'response.reasoning_summary_text.done', ...base, text: state.text }),
        this.emit({ type: 'response.reasoning_summary_part.done', ...base, part: summary[0] }),
      );
    }
    const item: OutputItem = { id: state.id, type: 'reasoning', summary };
    const encrypted = reasoningEncryptedContent(state);
    if (encrypted !== undefined) item.encrypted_content = encrypted;
    out.push(this.done(state.outputIndex, item));
  }

  /** A reasoning item with no text of its own: redacted thinking, or a carrier for another item's data. */
  private wholeReasoningItem(encryptedContent: string, out: ResponseStreamEvent[]): void {
    const outputIndex = this.allocate();
    const id = newId('rs');
    out.push(
      this.added(outputIndex, { id, type: 'reasoning', summary: [] }),
      this.done(outputIndex, { id, type: 'reasoning', summary: [], encrypted_content: encryptedContent }),
    );
  }

  private carrier(encryptedContent: string, out: ResponseStreamEvent[]): void {
    this.wholeReasoningItem(encryptedContent, out);
  }

  // --- function calls ------------------------------------------------------------------------------

  private startTool(
    index: number,
    callId: string,
    name: string,
    providerData: ProviderData | undefined,
    out: ResponseStreamEvent[],
  ): void {
    if (this.tools.has(index)) return;
    this.closeMessage(out);
    this.closeReasoning(out);
    const carried = nonOpenAIProviderData(providerData);
    if (carried) {
      this.carrier(
        encodeContinuation({ providerData: carried, target: { type: 'function_call', call_id: callId } }),
        out,
      );
    }
    const tool: ToolState = {
      outputIndex: this.allocate(),
      id: newId('fc'),
      callId,
      name,
      arguments: '',
      done: false,
    };
    this.tools.set(index, tool);
    out.push(this.added(tool.outputIndex, this.toolItem(tool, 'in_progress')));
  }

  private closeTool(tool: ToolState, status: 'completed' | 'incomplete', out: ResponseStreamEvent[]): void {
    if (tool.done) return;
    tool.done = true;
    out.push(
      this.emit({
        type: 'response.function_call_arguments.done',
        item_id: tool.id,
        name: tool.name,
        output_index: tool.outputIndex,
        arguments: tool.arguments,
      }),
      this.done(tool.outputIndex, this.toolItem(tool, status)),
    );
  }

  private toolItem(tool: ToolState, status: 'in_progress' | 'completed' | 'incomplete'): OutputItem {
    return {
      id: tool.id,
      type: 'function_call',
      status,
      arguments: tool.arguments,
      call_id: tool.callId,
      name: tool.name,
    };
  }

  private openItems(): Array<{ outputIndex: number; item: OutputItem }> {
    const open: Array<{ outputIndex: number; item: OutputItem }> = [];
    const message = this.message;
    if (message) {
      open.push({
        outputIndex: message.outputIndex,
        item: {
          id: message.id,
          type: 'message',
          role: 'assistant',
          content: [
            {
              type: 'output_text',
              annotations: structuredClone(message.annotations),
              logprobs: [],
              text: message.text,
            },
          ],
        },
      });
    }
    const reasoning = this.reasoning;
    if (reasoning) {
      open.push({
        outputIndex: reasoning.outputIndex,
        item: {
          id: reasoning.id,
          type: 'reasoning',
          summary: reasoning.summaryOpen ? [{ type: 'summary_text', text: reasoning.text }] : [],
        },
      });
    }
    for (const tool of this.tools.values()) {
      if (!tool.done) open.push({ outputIndex: tool.outputIndex, item: this.toolItem(tool, 'incomplete') });
    }
    return open;
  }
}

/**
 * A reasoning item's encrypted_content: a Junction envelope when it holds anything a non-OpenAI provider
 * needs back (signature, provider data), OpenAI's own blob untouched when that is all there is.
 */
function reasoningEncryptedContent(state: ReasoningState): string | undefined {
  const providerData = nonOpenAIProviderData(state.providerData);
  if (state.signature !== undefined || providerData) {
    return encodeContinuation({
      ...(state.signature !== undefined ? { signature: state.signature } : {}),
      ...(providerData ? { providerData } : {}),
      ...(state.encryptedContent !== undefined ? { encryptedContent: state.encryptedContent } : {}),
    });
  }
  return state.encryptedContent;
}
