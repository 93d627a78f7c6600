/**
 * Request and token rate limits: the global policy (every caller together) and the key's own RPM and
 * TPM. Tokens are charged up front as an estimate (input tokens + max output) and settled to the real
 * usage when the request ends (a cache hit or a failure before any usage settles to 0). The tightest
 * limit is reported in RateLimit-* headers on every response; a refusal is a 429 with Retry-After.
 */
import type { CanonicalRequest } from '../../core/canonical-request.js';
import { estimateRequestTokens, estimateTextTokens } from '../../core/estimate-tokens.js';
import type { LimitExceededError } from '../limits/rate-limit-error.js';
import type { RateLimitPolicy } from '../limits/rate-limit-policy.js';
import type { RateLimiter } from '../limits/rate-limiter.js';
import type { RequestContext, Stage, StageRun } from '../stage.js';
import type { GlobalRateLimit } from '../state/key-record.js';
import { effectiveSystemPrompt } from './system-prompt-stage.js';

/** Max output assumed when the request sets none: the reservation is settled to the real count after. */
export const DEFAULT_MAX_OUTPUT_ESTIMATE = 4096;

const MINUTE = 60_000;

export interface RateLimitStageOptions {
  limiter: RateLimiter;
  globalPolicy: () => GlobalRateLimit;
  globalSystemPrompt: () => string | undefined;
  algorithm: 'sliding_window' | 'token_bucket';
  onRefused?(error: LimitExceededError): void;
}

export function rateLimitStage(options: RateLimitStageOptions): Stage {
  return {
    name: 'rate-limit',
    begin(context) {
      const policies: RateLimitPolicy[] = [];
      const global = options.globalPolicy();
      if (global.requestsPerWindow !== undefined) {
        policies.push({
          // The window is part of the id, so a changed window starts a fresh counter.
          id: `global-requests-${global.windowMs}`,
          scope: 'global',
          unit: 'requests',
          limit: global.requestsPerWindow,
          windowMs: global.windowMs,
          algorithm: global.algorithm,
        });
      }
      const limits = context.identity.limits;
      const algorithm = options.algorithm;
      if (limits?.rpm !== undefined) {
        policies.push({
          id: 'rpm',
          scope: 'key',
          unit: 'requests',
          limit: limits.rpm,
          windowMs: MINUTE,
          algorithm,
        });
      }
      if (limits?.tpm !== undefined) {
        policies.push({
          id: 'tpm',
          scope: 'key',
          unit: 'tokens',
          limit: limits.tpm,
          windowMs: MINUTE,
          algorithm,
        });
      }
      return policies.length === 0 ? undefined : admit(context, policies);
    },
  };

  async function admit(context: RequestContext, policies: RateLimitPolicy[]): Promise<StageRun> {
    const limits = context.identity.limits;
    const prompt = effectiveSystemPrompt(options.globalSystemPrompt(), limits?.systemPrompt);
    const estimatedTokens =
      estimateTokens(context.decoded.canonical) + (prompt === undefined ? 0 : estimateTextTokens(prompt));
    let ticket: Awaited<ReturnType<RateLimiter['admit']>>;
    try {
      ticket = await options.limiter.admit({
        keyName: context.identity.keyName,
        keyPolicies: policies,
        estimatedTokens,
      });
    } catch (error) {
      if (isLimitError(error)) options.onRefused?.(error);
      throw error;
    }
    if (ticket.headers) Object.assign(context.responseHeaders, ticket.headers);
    return {
      end: async (result) => {
        const used =
          context.record.cacheHit || !result.usage ? 0 : result.usage.inputTokens + result.usage.outputTokens;
        await ticket.settle(used);
      },
    };
  }
}

export function estimateTokens(request: CanonicalRequest): number {
  return estimateRequestTokens(request) + (request.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_ESTIMATE);
}

function isLimitError(error: unknown): error is LimitExceededError {
  return typeof error === 'object' && error !== null && 'headers' in error && 'status' in error;
}
