/**
 * The admin API behind the admin bearer token: health, routes, metrics, keys, policy (rate limit,
 * system prompt, guardrails), cache and usage, described by /admin/openapi.json (docs/admin-api.md).
 * Served on the main listener, or on its own listener when `[admin] listen` is set. Without a token
 * the admin API is off (404).
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Gateway } from '../gateway.js';
import { type AdminHooks, auditChanges } from './admin-hooks.js';
import { adminOpenApi } from './admin-openapi.js';
import { registerCacheRoutes } from './cache-routes.js';
import { registerKeyRoutes } from './key-routes.js';
import { registerPolicyRoutes } from './policy-routes.js';
import { registerUsageRoutes } from './usage-routes.js';

export function registerAdminRoutes(app: FastifyInstance, gateway: Gateway): void {
  const token = gateway.config.admin?.token;
  if (!token) return;
  const guard = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (!tokenMatches(request.headers.authorization, token)) {
      await reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({
          error: {
            message: 'Admin API requires "Authorization: Bearer <admin token>"',
            type: 'authentication_error',
          },
        });
    }
  };

  const hooks: AdminHooks = {
    onRequest: guard,
    onResponse: auditChanges(gateway.logger.child({ component: 'admin' })),
  };

  app.get('/admin/health', hooks, async () => {
    const targets = new Map(gateway.health.snapshot().map((snapshot) => [snapshot.target, snapshot]));
    return {
      status: 'ok',
      providers: [...gateway.runtimes.entries()].map(([name, runtime]) => ({
        name,
        type: runtime.adapter.type,
        keys: { total: runtime.keys.size, available: runtime.keys.available() },
        ...(runtime.limiter
          ? { concurrency: { inFlight: runtime.limiter.inFlight, queued: runtime.limiter.queued } }
          : {}),
      })),
      targets: [...targets.values()],
      governance: {
        limits: { backend: gateway.governance.backends.limits, state: gateway.governance.counters.state },
        cache: gateway.governance.backends.cache ?? null,
        usage: usageHealth(gateway),
        state_version: gateway.governance.state.version,
        state_store: stateStoreHealth(gateway),
      },
    };
  });

  app.get('/admin/routes', hooks, async () => {
    const health = new Map(gateway.health.snapshot().map((snapshot) => [snapshot.target, snapshot]));
    return {
      aliases: gateway.config.models.map((alias) => {
        const route = gateway.catalog.resolve(alias.alias);
        return {
          alias: alias.alias,
          strategy: route.policy.strategy,
          retries: route.policy.retries,
          failoverOn: [...route.policy.failoverOn.statuses, ...route.policy.failoverOn.classes],
          timeoutMs: route.policy.timeoutMs ?? null,
          firstByteTimeoutMs: route.policy.firstByteTimeoutMs ?? null,
          idleTimeoutMs: route.policy.idleTimeoutMs ?? null,
          resumeStreams: route.policy.resumeStreams,
          targets: route.targets.map((target) => {
            const snapshot = health.get(target.label);
            return {
              target: target.label,
              weight: target.weight,
              state: snapshot?.breaker.state ?? 'closed',
              errorRate: snapshot?.breaker.errorRate ?? 0,
              requests: snapshot?.breaker.windowRequests ?? 0,
              inFlight: snapshot?.inFlight ?? 0,
              ewmaTtfbMs: snapshot?.ewmaTtfbMs ?? null,
            };
          }),
        };
      }),
      providerOrder: gateway.config.routing?.providerOrder ?? [],
    };
  });

  app.get('/admin/metrics', hooks, async (_request, reply) => {
    reply.header('content-type', gateway.metrics.registry.contentType);
    return gateway.metrics.registry.metrics();
  });

  registerKeyRoutes(app, gateway, hooks);
  registerPolicyRoutes(app, gateway, hooks);
  registerCacheRoutes(app, gateway, hooks);
  registerUsageRoutes(app, gateway, hooks);

  app.get('/admin/openapi.json', hooks, async () => adminOpenApi());
}

function usageHealth(gateway: Gateway): Record<string, unknown> | null {
  const log = gateway.governance.usageLog;
  if (!log) return null;
  const stats = log.stats();
  return {
    backend: gateway.governance.backends.usage,
    queued: stats.queued,
    written: stats.written,
    dropped: stats.dropped,
    failed_writes: stats.failedWrites,
  };
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const match = header ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null;
  if (!match) return false;
  const presented = Buffer.from(match[1]!.trim());
  const expected = Buffer.from(token);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

/** Where admin changes and budget spend outlive a restart, for operators (snake_case, ISO times). */
function stateStoreHealth(gateway: Gateway): Record<string, unknown> {
  const store = gateway.governance.stateStore();
  const spend = store.budgetSpend;
  return {
    backend: store.backend,
    ...(store.file === undefined ? {} : { file: store.file }),
    ...(spend === undefined
      ? {}
      : {
          budget_spend: {
            saved_at: spend.savedAt === undefined ? null : new Date(spend.savedAt).toISOString(),
            failing: spend.failing,
          },
        }),
  };
}
