/**
 * The governance stages in their one fixed order (docs/governance.md explains each). Authentication
 * runs before them, in the request handler, because every stage needs the caller.
 *
 *  1. pricing            cost header / trailer and the record's cost; first, so its end runs last
 *  2. model-access       the key's allowed models (fallback lists included)          -> 403
 *  3. rate-limit         global + per-key requests and tokens (estimate, settle)     -> 429
 *  4. concurrency        per-key concurrent requests                                 -> 429
 *  5. input-guardrails   length, phrases, deny patterns (400); redaction
 *  6. system-prompt      global + per-key prompt appended, canonical and wire body
 *  7. output-guardrails  streaming-aware checks, redaction, disclaimer (wraps events)
 *  8. cache              hit answers here; a miss to be stored wraps events outside the guardrails
 *  9. budget             reserve the worst case, settle the real cost (misses only)  -> 429
 *  then the usage record (UsageRecorder), after every stage's end, with latency and cost.
 *
 * Refusals come as early as they can (cheap checks first, nothing reserved that a later stage would
 * refuse cheaply). A cache hit is served after the guardrails of the current policy and costs no budget.
 */
import type { ModelAliasConfig } from '../config/types.js';
import type { CompiledGuardrails } from './guardrails/compile-guardrails.js';
import type { BudgetGuard } from './limits/budget-guard.js';
import type { ConcurrencyLimiter } from './limits/concurrency-limiter.js';
import type { LimitExceededError } from './limits/rate-limit-error.js';
import type { RateLimiter } from './limits/rate-limiter.js';
import type { PriceTable } from './pricing/price-table.js';
import type { Stage } from './stage.js';
import { budgetStage } from './stages/budget-stage.js';
import { type CacheStageOptions, cacheStage } from './stages/cache-stage.js';
import { concurrencyStage } from './stages/concurrency-stage.js';
import { inputGuardrailsStage, type ViolationReporter } from './stages/input-guardrails-stage.js';
import { modelAccessStage } from './stages/model-access-stage.js';
import { outputGuardrailsStage } from './stages/output-guardrails-stage.js';
import { pricingStage } from './stages/pricing-stage.js';
import { rateLimitStage } from './stages/rate-limit-stage.js';
import { systemPromptStage } from './stages/system-prompt-stage.js';
import type { GovernanceState } from './state/governance-state.js';

export interface StageDependencies {
  aliases: readonly ModelAliasConfig[];
  prices: PriceTable;
  budget: BudgetGuard;
  rateLimiter: RateLimiter;
  concurrency: ConcurrencyLimiter;
  algorithm: 'sliding_window' | 'token_bucket';
  state: GovernanceState;
  guardrails: () => CompiledGuardrails;
  onViolation: ViolationReporter;
  onRefused?: (error: LimitExceededError) => void;
  /** Absent when the cache is off. */
  cache?: CacheStageOptions;
}

export const STAGE_ORDER = [
  'pricing',
  'model-access',
  'rate-limit',
  'concurrency',
  'input-guardrails',
  'system-prompt',
  'output-guardrails',
  'cache',
  'budget',
] as const;

export function governanceStages(deps: StageDependencies): Stage[] {
  const globalPrompt = (): string | undefined => deps.state.policy().systemPrompt;
  const refusing = (stage: Stage): Stage => withRefusalCount(stage, deps.onRefused);
  const stages: Stage[] = [
    pricingStage(deps.prices),
    modelAccessStage(deps.aliases),
    rateLimitStage({
      limiter: deps.rateLimiter,
      globalPolicy: () => deps.state.policy().rateLimit,
      globalSystemPrompt: globalPrompt,
      algorithm: deps.algorithm,
      ...(deps.onRefused ? { onRefused: deps.onRefused } : {}),
    }),
    refusing(concurrencyStage(deps.concurrency)),
    inputGuardrailsStage(deps.guardrails, deps.onViolation),
    systemPromptStage(globalPrompt),
    outputGuardrailsStage(deps.guardrails, deps.onViolation),
    ...(deps.cache ? [cacheStage(deps.cache)] : []),
    refusing(budgetStage(deps.budget, deps.prices)),
  ];
  return stages;
}

/**
 * Counts a stage's 429s (LimitExceededError) for /admin/metrics. A stage that answers synchronously stays
 * synchronous: as an async wrapper it cost two promises and a microtask hop on every request.
 */
function withRefusalCount(stage: Stage, onRefused: ((error: LimitExceededError) => void) | undefined): Stage {
  if (!onRefused) return stage;
  const count = (error: unknown): never => {
    if (typeof error === 'object' && error !== null && 'headers' in error)
      onRefused(error as LimitExceededError);
    throw error;
  };
  return {
    name: stage.name,
    begin(context) {
      let begun: ReturnType<Stage['begin']>;
      try {
        begun = stage.begin(context);
      } catch (error) {
        return count(error);
      }
      return begun instanceof Promise ? begun.catch(count) : begun;
    },
  };
}
