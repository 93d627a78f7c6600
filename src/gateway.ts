/**
 * Everything a running gateway holds, built once from the resolved configuration.
 */
import type { Logger } from 'pino';
import type { GatewayConfig } from './config/types.js';
import type { Authenticator } from './pipeline/authenticate.js';
import { createAuthenticator } from './pipeline/authenticate.js';
import { UsageRecorder } from './pipeline/usage-recorder.js';
import { createProvider } from './providers/create-provider.js';
import type { ProviderAdapter } from './providers/provider-adapter.js';
import { ModelCatalog } from './routing/model-catalog.js';

export interface Gateway {
  config: GatewayConfig;
  providers: ReadonlyMap<string, ProviderAdapter>;
  catalog: ModelCatalog;
  authenticate: Authenticator;
  usage: UsageRecorder;
  logger: Logger;
}

export function createGateway(config: GatewayConfig, logger: Logger): Gateway {
  const providers = new Map<string, ProviderAdapter>();
  for (const provider of config.providers) providers.set(provider.name, createProvider(provider));
  return {
    config,
    providers,
    catalog: new ModelCatalog(config.models, providers),
    authenticate: createAuthenticator(config.keys),
    usage: new UsageRecorder(logger),
    logger,
  };
}
