/**
 * A verified token's claims as a caller: the name claim picks the identity (a configured key of that
 * name lends its limits, else the template key's), and mapped claims override individual limits.
 */
import type { JWTPayload } from 'jose';
import type { BudgetPeriod, JwtAuthConfig, KeyLimits } from '../../config/types.js';
import { GatewayError } from '../../core/errors.js';

export function claimsToLimits(
  payload: JWTPayload,
  claims: JwtAuthConfig['claims'],
  base: KeyLimits,
): KeyLimits {
  const limits: KeyLimits = { ...base };
  const models = payload[claims.models ?? ''];
  if (claims.models !== undefined && models !== undefined) {
    const list = typeof models === 'string' ? models.split(/[\s,]+/).filter(Boolean) : models;
    if (Array.isArray(list) && list.every((entry) => typeof entry === 'string')) limits.models = list;
  }
  const rpm = positive(payload, claims.rpm);
  if (rpm !== undefined) limits.rpm = rpm;
  const tpm = positive(payload, claims.tpm);
  if (tpm !== undefined) limits.tpm = tpm;
  const concurrent = positive(payload, claims.maxConcurrent);
  if (concurrent !== undefined) limits.maxConcurrent = concurrent;
  const usd = claims.budgetUsd === undefined ? undefined : Number(payload[claims.budgetUsd]);
  if (usd !== undefined && Number.isFinite(usd) && usd > 0) {
    const period = claims.budgetPeriod === undefined ? undefined : payload[claims.budgetPeriod];
    limits.budget = { usd, period: isPeriod(period) ? period : (base.budget?.period ?? 'month') };
  }
  const team = claims.team === undefined ? undefined : payload[claims.team];
  if (typeof team === 'string') limits.metadata = { ...limits.metadata, team };
  return limits;
}

export function claimedName(payload: JWTPayload, claim: string): string {
  const value = payload[claim];
  if (typeof value !== 'string' || value === '') {
    throw new GatewayError('auth', `Invalid bearer token: claim "${claim}" must name the caller`, {
      code: 'invalid_token',
    });
  }
  return value;
}

function positive(payload: JWTPayload, claim: string | undefined): number | undefined {
  if (claim === undefined) return undefined;
  const value = Number(payload[claim]);
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

function isPeriod(value: unknown): value is BudgetPeriod {
  return value === 'day' || value === 'month' || value === 'total';
}
