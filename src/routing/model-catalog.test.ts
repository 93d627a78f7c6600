import { describe, expect, it } from 'vitest';
import { GatewayError } from '../core/errors.js';
import { createEchoAdapter } from '../providers/echo/echo-adapter.js';
import type { ProviderAdapter } from '../providers/provider-adapter.js';
import { ModelCatalog } from './model-catalog.js';

const providers = new Map<string, ProviderAdapter>([
  ['echo', createEchoAdapter({ name: 'echo' })],
  ['router', createEchoAdapter({ name: 'router' })],
]);
const catalog = new ModelCatalog(
  [
    {
      alias: 'default',
      targets: [
        { provider: 'echo', model: 'e1' },
        { provider: 'router', model: 'meta/llama-3' },
      ],
      defaults: {},
    },
  ],
  providers,
);

describe('ModelCatalog', () => {
  it('resolves an alias to its ordered targets', () => {
    const route = catalog.resolve('default');
    expect(route.alias?.alias).toBe('default');
    expect(route.targets.map((t) => t.label)).toEqual(['echo/e1', 'router/meta/llama-3']);
  });

  it('splits provider/model at the first slash so model ids may contain slashes', () => {
    const route = catalog.resolve('router/meta-llama/Llama-3.3-70B');
    expect(route.targets[0]!.provider.name).toBe('router');
    expect(route.targets[0]!.model).toBe('meta-llama/Llama-3.3-70B');
  });

  it.each(['gpt-4.1', 'openai/gpt-4.1', 'echo/', '/x'])('answers 404 listing what exists for %s', (model) => {
    try {
      catalog.resolve(model);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(GatewayError);
      const gatewayError = error as GatewayError;
      expect(gatewayError.status).toBe(404);
      expect(gatewayError.code).toBe('model_not_found');
      expect(gatewayError.message).toContain('Available: default, echo/<model>, router/<model>');
    }
  });

  it('lists aliases then their targets', () => {
    expect(catalog.list().map((m) => m.id)).toEqual(['default', 'echo/e1', 'router/meta/llama-3']);
  });
});
