import { describe, expect, it } from 'vitest';
import { GatewayMetrics } from './metrics.js';

describe('GatewayMetrics', () => {
  it('counts attempts per target, and folds client-named targets past the cap into <provider>/other', async () => {
    const metrics = new GatewayMetrics();
    metrics.attempt('oai', 'oai/gpt-4.1', 200, 'ok');
    metrics.attempt('oai', 'oai/gpt-4.1', 200, 'ok');
    for (let i = 0; i < 1_005; i++) metrics.attempt('oai', `oai/model-${i}`, 429, 'rate_limit');
    const text = await metrics.registry.metrics();
    expect(text).toContain(
      'junction_upstream_attempts_total{provider="oai",target="oai/gpt-4.1",status="200",class="ok"} 2',
    );
    expect(text).toContain(
      'junction_upstream_attempts_total{provider="oai",target="oai/other",status="429",class="rate_limit"} 6',
    );
    const series = text.split('\n').filter((line) => line.startsWith('junction_upstream_attempts_total{'));
    expect(series).toHaveLength(1_000 + 1);
  });
});
