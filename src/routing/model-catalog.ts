/**
 * Resolves what a client names as `model` (an alias or `provider/model`) into ordered targets and the
 * policy to run them with. Only configured providers are reachable: there is no client-chosen upstream.
 */
import type { ModelAliasConfig, RoutePolicyConfig, RoutingConfig } from '../config/types.js';
import { GatewayError } from '../core/errors.js';
import type { ProviderAdapter } from '../providers/provider-adapter.js';
import type { RoutePolicy } from './route-policy.js';
import { DEFAULT_POLICY, parseFailoverOn } from './route-policy.js';

export interface Target {
  provider: ProviderAdapter;
  /** The upstream model id. */
  model: string;
  /** `provider/model`, for headers and logs. */
  label: string;
  /** Relative weight for the weighted strategy. */
  weight: number;
}

export interface Route {
  /** The alias the client named, when it named one. */
  alias?: ModelAliasConfig;
  targets: Target[];
  policy: RoutePolicy;
}

export interface ModelListing {
  id: string;
  ownedBy: string;
}

export interface ResolveOptions {
  /** `x-llm-provider`: the provider for a model that is not an alias or `provider/model`. */
  provider?: string;
  /** OpenRouter-style `models: [...]`: a client-chosen fallback list after `model`. */
  fallbackModels?: readonly string[];
}

export class ModelCatalog {
  private readonly aliases = new Map<string, ModelAliasConfig>();
  private readonly aliasPolicies = new Map<string, RoutePolicy>();
  /** Resolved routes are immutable, so alias routes are built once instead of on every request. */
  private readonly aliasRoutes = new Map<string, Route>();
  private readonly basePolicy: RoutePolicy;

  constructor(
    aliases: ModelAliasConfig[],
    private readonly providers: ReadonlyMap<string, ProviderAdapter>,
    private readonly routing?: RoutingConfig,
  ) {
    this.basePolicy = mergePolicy(DEFAULT_POLICY, routing ?? {});
    for (const alias of aliases) {
      this.aliases.set(alias.alias, alias);
      this.aliasPolicies.set(alias.alias, {
        ...mergePolicy(this.basePolicy, alias),
        strategy: alias.strategy ?? 'fallback',
        resumeStreams: alias.resumeStreams ?? false,
      });
    }
  }

  resolve(model: string, options: ResolveOptions = {}): Route {
    const primary = this.resolveOne(model, options.provider);
    if (!options.fallbackModels || options.fallbackModels.length === 0) return primary;
    const targets = [...primary.targets];
    for (const [index, name] of options.fallbackModels.entries()) {
      try {
        for (const target of this.resolveOne(name, options.provider).targets) {
          if (!targets.some((t) => t.label === target.label)) targets.push(target);
        }
      } catch (error) {
        if (error instanceof GatewayError) {
          throw new GatewayError(error.failureClass, error.message, {
            param: `models[${index}]`,
            code: error.code,
          });
        }
        throw error;
      }
    }
    // A client-built list is an ordered fallback chain whatever the primary alias's strategy.
    return { ...primary, targets, policy: { ...primary.policy, strategy: 'fallback' } };
  }

  /** Aliases, then each alias target spelled out. */
  list(): ModelListing[] {
    const seen = new Set<string>();
    const out: ModelListing[] = [];
    const add = (id: string, ownedBy: string): void => {
      if (seen.has(id)) return;
      seen.add(id);
      out.push({ id, ownedBy });
    };
    for (const alias of this.aliases.values()) add(alias.alias, 'junction');
    for (const alias of this.aliases.values()) {
      for (const target of alias.targets) add(`${target.provider}/${target.model}`, target.provider);
    }
    return out;
  }

  private resolveOne(model: string, headerProvider: string | undefined): Route {
    const alias = this.aliases.get(model);
    if (alias) {
      let route = this.aliasRoutes.get(model);
      if (!route) {
        route = {
          alias,
          targets: alias.targets.map((target) =>
            this.target(target.provider, target.model, target.weight ?? 1),
          ),
          policy: this.aliasPolicies.get(alias.alias)!,
        };
        this.aliasRoutes.set(model, route);
      }
      return route;
    }
    const slash = model.indexOf('/');
    if (slash > 0 && slash < model.length - 1) {
      const provider = model.slice(0, slash);
      if (this.providers.has(provider)) return this.direct([provider], model.slice(slash + 1));
    }
    const order = this.routing?.providerOrder ?? [];
    if (headerProvider !== undefined) {
      if (!this.providers.has(headerProvider)) {
        throw new GatewayError(
          'not_found',
          `x-llm-provider names provider "${headerProvider}", which is not configured. ${this.describeAvailable()}`,
          {
            param: 'x-llm-provider',
            code: 'provider_not_found',
          },
        );
      }
      const others = this.routing?.providerFailover ? order.filter((name) => name !== headerProvider) : [];
      return this.direct([headerProvider, ...others], model);
    }
    if (order.length > 0) return this.direct(order, model);
    throw new GatewayError(
      'not_found',
      `The model \`${model}\` does not exist. ${this.describeAvailable()}`,
      {
        param: 'model',
        code: 'model_not_found',
      },
    );
  }

  private direct(providers: string[], model: string): Route {
    return { targets: providers.map((provider) => this.target(provider, model, 1)), policy: this.basePolicy };
  }

  private target(providerName: string, model: string, weight: number): Target {
    const provider = this.providers.get(providerName);
    // Config validation guarantees this; the check keeps a bad hand-built config from crashing a request.
    if (!provider) throw new GatewayError('internal', `Target provider "${providerName}" is not configured`);
    return { provider, model, label: `${providerName}/${model}`, weight };
  }

  private describeAvailable(): string {
    const aliases = [...this.aliases.keys()];
    const providers = [...this.providers.keys()].map((name) => `${name}/<model>`);
    return `Available: ${[...aliases, ...providers].join(', ')}.`;
  }
}

function mergePolicy(base: RoutePolicy, over: RoutePolicyConfig): RoutePolicy {
  return {
    ...base,
    ...(over.failoverOn ? { failoverOn: parseFailoverOn(over.failoverOn) } : {}),
    ...(over.retries !== undefined ? { retries: over.retries } : {}),
    ...(over.timeoutMs !== undefined ? { timeoutMs: over.timeoutMs } : {}),
    ...(over.firstByteTimeoutMs !== undefined ? { firstByteTimeoutMs: over.firstByteTimeoutMs } : {}),
    ...(over.idleTimeoutMs !== undefined ? { idleTimeoutMs: over.idleTimeoutMs } : {}),
  };
}
