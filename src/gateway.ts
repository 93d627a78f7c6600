/**
 * Everything a running gateway holds, built once from the resolved configuration.
 */
import type { Logger } from 'pino';
import type { GatewayConfig } from './config/types.js';
import { embeddingStages } from './http/handle-embeddings.js';
import { InFlightRequests } from './http/in-flight.js';
import { createResponseStore } from './http/responses-store.js';
import { GatewayMetrics } from './observability/metrics.js';
import type { Authenticator } from './pipeline/authenticate.js';
import { createGovernance, type Governance } from './pipeline/governance.js';
import type { Stage } from './pipeline/stage.js';
import { UsageRecorder } from './pipeline/usage-recorder.js';
import { createProvider } from './providers/create-provider.js';
import type { ProviderAdapter } from './providers/provider-adapter.js';
import { ModelCatalog } from './routing/model-catalog.js';
import type { ProviderRuntime } from './routing/provider-runtime.js';
import { createProviderRuntime } from './routing/provider-runtime.js';
import { Router } from './routing/router.js';
import { HealthRegistry } from './routing/target-health.js';
import type { ResponseStore } from './storage/response-store/response-store.js';

export interface Gateway {
  config: GatewayConfig;
  providers: ReadonlyMap<string, ProviderAdapter>;
  runtimes: ReadonlyMap<string, ProviderRuntime>;
  catalog: ModelCatalog;
  router: Router;
  health: HealthRegistry;
  authenticate: Authenticator;
  usage: UsageRecorder;
  metrics: GatewayMetrics;
  /** Governance stages in their fixed order (src/pipeline/stages.ts). */
  stages: Stage[];
  /** The stages an embeddings request runs (http/handle-embeddings.ts), in the same order. */
  embeddingStages: Stage[];
  /** Keys, limits, policy, cache, pricing and the usage log (src/pipeline/governance.ts). */
  governance: Governance;
  /** Responses API state (`[store]`): stored responses and conversations. */
  responseStore: ResponseStore;
  /** Generation requests running now (a shutdown past its grace ends them). */
  inFlight: InFlightRequests;
  logger: Logger;
}

export function createGateway(config: GatewayConfig, logger: Logger): Gateway {
  const providers = new Map<string, ProviderAdapter>();
  const runtimes = new Map<string, ProviderRuntime>();
  const providerLog = logger.child({ component: 'provider' });
  for (const provider of config.providers) {
    const adapter = createProvider(provider, providerLog);
    providers.set(provider.name, adapter);
    runtimes.set(
      provider.name,
      createProviderRuntime(adapter, {
        apiKeys: provider.apiKeys,
        maxConcurrent: provider.maxConcurrent,
        maxQueue: provider.maxQueue,
        queueTimeoutMs: provider.queueTimeoutMs,
      }),
    );
  }
  const metrics = new GatewayMetrics();
  const health = new HealthRegistry(config.routing?.breaker);
  for (const alias of config.models)
    for (const target of alias.targets) health.pin(`${target.provider}/${target.model}`);
  const attemptLog = logger.child({ component: 'router' });
  const router = new Router({
    runtimes,
    health,
    metrics,
    backoff: config.routing?.backoff,
    // Successful attempts are in the usage record already; failed ones are worth a line of their own.
    log: (attempt, requestId) => {
      if (attempt.status !== 200) attemptLog.warn({ attempt, requestId }, 'upstream attempt failed');
      else if (attemptLog.isLevelEnabled('debug'))
        attemptLog.debug({ attempt, requestId }, 'upstream attempt');
    },
    // Not a failure of anything: the route moved on from targets that cannot serve this request.
    skipped: (skipped, requestId) => {
      const reasons = skipped.map(({ target, refusal }) => ({ target, reason: refusal.message }));
      attemptLog.info({ requestId, skipped: reasons }, 'targets skipped');
    },
  });
  const governance = createGovernance(config, logger, metrics.registry);
  return {
    config,
    providers,
    runtimes,
    catalog: new ModelCatalog(config.models, providers, config.routing),
    router,
    health,
    authenticate: governance.authenticate,
    usage: new UsageRecorder(logger, governance.usageLog),
    metrics,
    stages: governance.stages,
    embeddingStages: embeddingStages(governance.stages),
    governance,
    responseStore: createResponseStore(config.store, logger),
    inFlight: new InFlightRequests(),
    logger,
  };
}
