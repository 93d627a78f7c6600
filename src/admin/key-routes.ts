/**
 * /admin/keys: create (the secret is returned once, only its hash is stored), list, get (with the
 * budget's current spend), update limits (null removes a limit), revoke and restore. Works for
 * admin-created and config keys alike (a config key's changes are stored as an override); with Redis
 * every node sees a change within about a second. An admin-created key's secret can be rotated (a new
 * one returned once, the old one kept for an optional grace period); a config key's lives in the file.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { keyLimitsShape } from '../config/governance-schema.js';
import { keyLimitsOf } from '../config/key-limits-of.js';
import { parseDuration } from '../config/parse-duration.js';
import { GatewayError } from '../core/errors.js';
import type { Gateway } from '../gateway.js';
import type { KeyOverride } from '../pipeline/state/key-record.js';
import { parseBody, sendAdminError } from './admin-error.js';
import type { AdminHooks } from './admin-hooks.js';
import { keyView } from './key-view.js';

const createSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[\w.:@-]+$/, 'may contain letters, digits and _ . : @ - only'),
  ...keyLimitsShape,
});

/** The longest grace period a rotation may give the replaced secret. */
const MAX_GRACE_MS = 30 * 24 * 3_600_000;

const rotateSchema = z.strictObject({
  /** How long the replaced secret keeps working: a duration ("15m", "24h") or milliseconds; none by default. */
  grace_period: z.union([z.string(), z.number()]).nullable().optional(),
});

/** Each limit may be set, or null to remove it. */
const updateSchema = z.strictObject(
  Object.fromEntries(Object.entries(keyLimitsShape).map(([field, schema]) => [field, schema.nullable()])) as {
    [K in keyof typeof keyLimitsShape]: z.ZodNullable<(typeof keyLimitsShape)[K]>;
  },
);

export function registerKeyRoutes(app: FastifyInstance, gateway: Gateway, hooks: AdminHooks): void {
  const { state, budget } = gateway.governance;

  app.get('/admin/keys', hooks, async () => ({ keys: state.listKeys().map(keyView) }));

  app.post('/admin/keys', hooks, async (request, reply) => {
    try {
      const body = parseBody(createSchema, request.body);
      const { record, secret } = await state.createKey(body.name, keyLimitsOf(body));
      return reply.code(201).send({ key: keyView(record), secret });
    } catch (error) {
      return sendAdminError(reply, error);
    }
  });

  app.get<{ Params: { name: string } }>('/admin/keys/:name', hooks, async (request, reply) => {
    const record = state.keyByName(request.params.name);
    if (!record) return sendAdminError(reply, notFound(request.params.name));
    const view = keyView(record);
    if (record.budget) {
      try {
        const balance = await budget.balance(record.name, {
          period: record.budget.period,
          limitUsd: record.budget.usd,
        });
        view.budget_status = {
          period: record.budget.period,
          limit_usd: record.budget.usd,
          spent_usd: balance.spentUsd,
          held_usd: balance.heldUsd,
        };
      } catch {
        view.budget_status = null;
      }
    }
    return view;
  });

  app.patch<{ Params: { name: string } }>('/admin/keys/:name', hooks, async (request, reply) => {
    try {
      const body = parseBody(updateSchema, request.body);
      const patch: KeyOverride = keyLimitsOf(withoutNulls(body));
      for (const [field, value] of Object.entries(body)) {
        if (value === null) (patch as Record<string, unknown>)[camel(field)] = null;
      }
      return keyView(await state.updateKey(request.params.name, patch));
    } catch (error) {
      return sendAdminError(reply, error);
    }
  });

  app.delete<{ Params: { name: string } }>('/admin/keys/:name', hooks, async (request, reply) => {
    try {
      return keyView(await state.revokeKey(request.params.name));
    } catch (error) {
      return sendAdminError(reply, error);
    }
  });

  app.post<{ Params: { name: string } }>('/admin/keys/:name/rotate', hooks, async (request, reply) => {
    try {
      const body = parseBody(rotateSchema, request.body);
      const graceMs = body.grace_period == null ? 0 : gracePeriod(body.grace_period);
      const { record, secret } = await state.rotateKey(request.params.name, graceMs);
      return { key: keyView(record), secret };
    } catch (error) {
      return sendAdminError(reply, error);
    }
  });

  app.post<{ Params: { name: string } }>('/admin/keys/:name/restore', hooks, async (request, reply) => {
    try {
      return keyView(await state.restoreKey(request.params.name));
    } catch (error) {
      return sendAdminError(reply, error);
    }
  });
}

function gracePeriod(value: string | number): number {
  let ms: number;
  try {
    ms = parseDuration(value);
  } catch (error) {
    throw new GatewayError('invalid_request', `grace_period: ${(error as Error).message}`, {
      param: 'grace_period',
    });
  }
  if (ms > MAX_GRACE_MS)
    throw new GatewayError('invalid_request', 'grace_period: at most 30 days (720h)', {
      param: 'grace_period',
    });
  return ms;
}

function withoutNulls<T extends Record<string, unknown>>(body: T): { [K in keyof T]?: Exclude<T[K], null> } {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(body)) if (value !== null) out[field] = value;
  return out as { [K in keyof T]?: Exclude<T[K], null> };
}

function camel(field: string): string {
  return field.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

function notFound(name: string): GatewayError {
  return new GatewayError('not_found', `No key named "${name}"`, { code: 'key_not_found' });
}
