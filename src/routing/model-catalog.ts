/**
 * Resolves what a client names as `model` (an alias or `provider/model`) into ordered targets.
 * Only configured providers are reachable: there is no client-chosen upstream URL.
 */
import type { ModelAliasConfig } from '../config/types.js';
import { GatewayError } from '../core/errors.js';
import type { ProviderAdapter } from '../providers/provider-adapter.js';
import type { RoutePolicy } from './route-policy.js';
import { DEFAULT_POLICY } from './route-policy.js';

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

export class ModelCatalog {
  private readonly aliases = new Map<string, ModelAliasConfig>();

  constructor(
    aliases: ModelAliasConfig[],
    private readonly providers: ReadonlyMap<string, ProviderAdapter>,
  ) {
    for (const alias of aliases) this.aliases.set(alias.alias, alias);
  }

  resolve(model: string): Route {
    const alias = this.aliases.get(model);
    if (alias) {
      return { alias, targets: alias.targets.map((target) => this.target(target.provider, target.model)) };
    }
    const slash = model.indexOf('/');
    if (slash > 0 && slash < model.length - 1) {
      const provider = this.providers.get(model.slice(0, slash));
      if (provider) return { targets: [{ provider, model: model.slice(slash + 1), label: model }] };
    }
    throw new GatewayError('not_found', `The model \`${model}\` does not exist. ${this.describeAvailable()}`, {
      param: 'model',
      code: 'model_not_found',
    });
  }

  /** Aliases, then each alias target spelled out, then one `provider/*` entry per provider. */
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

  private target(providerName: string, model: string): Target {
    const provider = this.providers.get(providerName);
    // Config validation guarantees this; the check keeps a bad hand-built config from crashing a request.
    if (!provider) throw new GatewayError('internal', `Alias target provider "${providerName}" is not configured`);
    return { provider, model, label: `${providerName}/${model}` };
  }

  private describeAvailable(): string {
    const aliases = [...this.aliases.keys()];
    const providers = [...this.providers.keys()].map((name) => `${name}/<model>`);
    return `Available: ${[...aliases, ...providers].join(', ')}.`;
  }
}
