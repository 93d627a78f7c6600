import { describe, expect, it } from 'vitest';
import type { CanonicalRequest } from '../core/canonical-request.js';
import type { UsageRecord } from '../pipeline/usage-recorder.js';
import { cutOffUsage } from './finish-request.js';

const request: CanonicalRequest = {
  model: 'm',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'x'.repeat(40) }] }],
  stream: true,
  maxOutputTokens: 5,
};

const record = (fields: Partial<UsageRecord>): UsageRecord => ({
  requestId: 'r',
  keyName: 'k',
  model: 'm',
  dialect: 'openai-chat',
  stream: true,
  fastPath: false,
  status: 499,
  attempts: 1,
  latencyMs: 0,
  ...fields,
});

describe('cutOffUsage', () => {
  it('charges nothing for a request that failed before any upstream answered, or that succeeded', () => {
    expect(cutOffUsage(record({ failureClass: 'cancelled' }), request)).toBeUndefined();
    expect(cutOffUsage(record({ status: 200, provider: 'p', outputSeen: 8 }), request)).toBeUndefined();
  });

  it('estimates the prompt and the output delivered (at most max output) for an answer cut off without usage', () => {
    const cut = record({ failureClass: 'cancelled', provider: 'p', outputSeen: 12 });
    expect(cutOffUsage(cut, request)).toEqual({ inputTokens: 10, outputTokens: 3 });
    expect(cutOffUsage({ ...cut, outputSeen: 400 }, request)).toEqual({ inputTokens: 10, outputTokens: 5 });
  });

  it('estimates a whole answer from an upstream not asked for usage, unless it reported some anyway', () => {
    const unasked = record({ status: 200, provider: 'p', outputSeen: 12, usageNotAsked: true });
    expect(cutOffUsage(unasked, request)).toEqual({ inputTokens: 10, outputTokens: 3 });
    const reported = { inputTokens: 30, outputTokens: 4 };
    expect(cutOffUsage({ ...unasked, usage: reported }, request)).toBeUndefined();
    expect(cutOffUsage({ ...unasked, cacheHit: true }, request)).toBeUndefined();
  });

  it('keeps what the provider reported before the cut (Anthropic: input at message_start)', () => {
    const cut = record({
      failureClass: 'network',
      provider: 'p',
      outputSeen: 12,
      usage: { inputTokens: 30, outputTokens: 1, cachedInputTokens: 20 },
    });
    expect(cutOffUsage(cut, request)).toEqual({ inputTokens: 30, outputTokens: 3, cachedInputTokens: 20 });
  });
});
