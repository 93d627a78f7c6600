/**
 * A non-streaming answer is the collected stream: this folds canonical events into one response.
 */

import type { CanonicalEvent, Citation, FinishReason } from './canonical-events.js';
import type { AssistantPart, ProviderData, ReasoningPart, ToolCallPart } from './canonical-request.js';
import { forEachReady } from './ready-iterator.js';
import type { Usage } from './usage.js';
import { mergeUsage } from './usage.js';

export interface CanonicalResponse {
  id?: string;
  model?: string;
  created?: number;
  /** Parts in the order the model produced them. */
  content: AssistantPart[];
  finishReason: FinishReason;
  rawFinishReason?: string;
  /** The stop sequence that ended the answer, when the provider reported it. */
  stopSequence?: string;
  usage?: Usage;
  /** Sources the answer cites, in the order the provider reported them; absent when there are none. */
  citations?: Citation[];
}

export class ResponseCollector {
  readonly response: CanonicalResponse = { content: [], finishReason: 'stop' };
  private readonly toolCalls = new Map<number, ToolCallPart>();
  private openReasoning: ReasoningPart | undefined;

  add(event: CanonicalEvent): void {
    const { response } = this;
    switch (event.type) {
      case 'response-start':
        response.id ??= event.id;
        response.model ??= event.model;
        response.created ??= event.created;
        return;
      case 'text-delta': {
        this.openReasoning = undefined;
        const last = response.content.at(-1);
        if (last?.type === 'text') {
          last.text += event.text;
          if (event.providerData)
            last.providerData = mergeProviderData(last.providerData, event.providerData);
        } else {
          response.content.push({
            type: 'text',
            text: event.text,
            ...(event.providerData ? { providerData: event.providerData } : {}),
          });
        }
        return;
      }
      case 'reasoning-delta': {
        this.currentReasoning().text += event.text;
        return;
      }
      case 'reasoning-signature': {
        this.currentReasoning().signature = event.signature;
        this.openReasoning = undefined;
        return;
      }
      case 'reasoning-provider-data': {
        const part = this.currentReasoning();
        part.providerData = mergeProviderData(part.providerData, event.providerData);
        return;
      }
      case 'reasoning-redacted':
        this.openReasoning = undefined;
        response.content.push({ type: 'reasoning', text: '', redactedData: event.data });
        return;
      case 'tool-call-start': {
        this.openReasoning = undefined;
        const part: ToolCallPart = { type: 'tool-call', id: event.id, name: event.name, arguments: '' };
        if (event.providerData) part.providerData = event.providerData;
        this.toolCalls.set(event.index, part);
        response.content.push(part);
        return;
      }
      case 'tool-call-delta': {
        const part = this.toolCalls.get(event.index);
        if (part) part.arguments += event.argumentsDelta;
        return;
      }
      case 'tool-call-end':
        return;
      case 'usage':
        response.usage = mergeUsage(response.usage, event.usage);
        return;
      case 'citation':
        response.citations ??= [];
        response.citations.push(event.citation);
        return;
      case 'finish':
        response.finishReason = event.reason;
        response.rawFinishReason = event.raw;
        if (event.stopSequence !== undefined) response.stopSequence = event.stopSequence;
        return;
    }
  }

  private currentReasoning(): ReasoningPart {
    if (!this.openReasoning) {
      this.openReasoning = { type: 'reasoning', text: '' };
      this.response.content.push(this.openReasoning);
    }
    return this.openReasoning;
  }
}

function mergeProviderData(a: ProviderData | undefined, b: ProviderData): ProviderData {
  return { ...a, ...b };
}

export async function collectResponse(events: AsyncIterable<CanonicalEvent>): Promise<CanonicalResponse> {
  const collector = new ResponseCollector();
  await forEachReady(events, (event) => collector.add(event));
  return collector.response;
}
