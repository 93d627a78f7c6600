/**
 * A whole Converse answer (the non-stream `POST /model/{id}/converse` body) → canonical events, the same
 * events the stream decoder yields for it. The adapter streams, so this serves an endpoint that answers
 * ConverseStream with plain JSON (a proxy, a replaying mock) and keeps the two shapes in step.
 */
import { z } from 'zod';
import type { CanonicalEvent } from '../../core/canonical-events.js';
import { GatewayError } from '../../core/errors.js';
import { mapBedrockStopReason } from './map-bedrock-stop-reason.js';
import { bedrockUsageSchema, mapBedrockUsage } from './map-bedrock-usage.js';

const contentBlockSchema = z.looseObject({
  text: z.string().optional(),
  toolUse: z
    .looseObject({
      toolUseId: z.string(),
      name: z.string(),
      input: z.unknown().optional(),
      type: z.string().optional(),
    })
    .optional(),
  reasoningContent: z
    .looseObject({
      reasoningText: z
        .looseObject({ text: z.string().optional(), signature: z.string().optional() })
        .optional(),
      redactedContent: z.string().optional(),
    })
    .optional(),
});

const converseResponseSchema = z.looseObject({
  output: z.looseObject({
    message: z.looseObject({ content: z.array(z.unknown()).optional() }).optional(),
  }),
  stopReason: z.string().nullish(),
  usage: bedrockUsageSchema.optional(),
});

export interface ConverseResponseOptions {
  provider?: string;
  responseId?: string;
}

export function converseResponseEvents(
  body: unknown,
  options: ConverseResponseOptions = {},
): CanonicalEvent[] {
  const parsed = converseResponseSchema.safeParse(body);
  if (!parsed.success) {
    const prefix = options.provider ? `${options.provider}: ` : '';
    throw new GatewayError('transient', `${prefix}upstream answered without a Converse output`, {
      ...(options.provider !== undefined ? { provider: options.provider } : {}),
    });
  }
  const events: CanonicalEvent[] = [
    { type: 'response-start', ...(options.responseId ? { id: options.responseId } : {}) },
  ];
  let toolIndex = 0;
  for (const item of parsed.data.output.message?.content ?? []) {
    const block = contentBlockSchema.safeParse(item);
    if (!block.success) continue;
    const { text, toolUse, reasoningContent } = block.data;
    if (text) events.push({ type: 'text-delta', text });
    // Server tools (type server_tool_use) ran inside Bedrock; only client tool calls are the client's.
    if (toolUse && (toolUse.type === undefined || toolUse.type === 'tool_use')) {
      const index = toolIndex++;
      events.push(
        { type: 'tool-call-start', index, id: toolUse.toolUseId, name: toolUse.name },
        { type: 'tool-call-delta', index, argumentsDelta: JSON.stringify(toolUse.input ?? {}) },
        { type: 'tool-call-end', index },
      );
    }
    const reasoningText = reasoningContent?.reasoningText;
    if (reasoningText?.text) events.push({ type: 'reasoning-delta', text: reasoningText.text });
    if (reasoningText?.signature)
      events.push({ type: 'reasoning-signature', signature: reasoningText.signature });
    if (reasoningContent?.redactedContent)
      events.push({ type: 'reasoning-redacted', data: reasoningContent.redactedContent });
  }
  if (parsed.data.usage) events.push({ type: 'usage', usage: mapBedrockUsage(parsed.data.usage) });
  const raw = parsed.data.stopReason ?? undefined;
  events.push({ type: 'finish', reason: mapBedrockStopReason(raw), ...(raw ? { raw } : {}) });
  return events;
}
