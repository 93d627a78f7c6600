/**
 * A key's limits from their TOML (snake_case) form, as used by `[[keys]]` and the admin API's key
 * bodies. Absent fields stay absent ("no limit of this kind").
 */
import type { KeyLimits } from './types.js';

export interface KeyLimitsSection {
  models?: string[];
  rpm?: number;
  tpm?: number;
  max_concurrent?: number;
  budget?: { usd: number; period: 'day' | 'month' | 'total' };
  metadata?: { team?: string; owner?: string };
  system_prompt?: string;
}

export function keyLimitsOf(section: KeyLimitsSection): KeyLimits {
  const limits: KeyLimits = {};
  if (section.models !== undefined) limits.models = section.models;
  if (section.rpm !== undefined) limits.rpm = section.rpm;
  if (section.tpm !== undefined) limits.tpm = section.tpm;
  if (section.max_concurrent !== undefined) limits.maxConcurrent = section.max_concurrent;
  if (section.budget !== undefined)
    limits.budget = { usd: section.budget.usd, period: section.budget.period };
  if (section.metadata !== undefined) limits.metadata = { ...section.metadata };
  if (section.system_prompt !== undefined) limits.systemPrompt = section.system_prompt;
  return limits;
}
