/**
 * Usage on the Anthropic fast path: `message.usage` in message_start, `usage` in message_delta (folded
 * field by field), or the top-level `usage` of a non-stream message.
 */

import type { UsageTap } from '../shared/usage-tap.js';
import { createUsageTap } from '../shared/usage-tap.js';
import { AnthropicUsageTracker, anthropicUsageSchema } from './anthropic-usage.js';

export function createAnthropicUsageTap(isStream: boolean): UsageTap {
  const tracker = new AnthropicUsageTracker();
  return createUsageTap(isStream, {
    fromChunk: (chunk) => chunk.usage ?? (chunk.message as { usage?: unknown } | undefined)?.usage,
    map: (raw) => {
      const parsed = anthropicUsageSchema.safeParse(raw);
      return parsed.success ? tracker.update(parsed.data) : undefined;
    },
  });
}
