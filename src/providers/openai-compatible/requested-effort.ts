/**
 * The reasoning rung a canonical request asks for; an explicit budget (which wins, see canonical-request.ts)
 * is mapped to its nearest rung for hosts that take no budget.
 */
import type { ProviderRequest } from '../../core/canonical-request.js';
import type { Effort } from '../../core/reasoning-effort.js';
import { ladderEffort } from '../../core/reasoning-effort.js';

export function requestedEffort(request: ProviderRequest): Effort | undefined {
  return ladderEffort(request.reasoning);
}
