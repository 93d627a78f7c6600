import { describe, expect, it } from 'vitest';
import { HealthRegistry } from './target-health.js';

describe('HealthRegistry', () => {
  it('is bounded: client-named targets beyond the cap drop the least recently used, pinned ones stay', () => {
    const registry = new HealthRegistry(undefined, undefined, 3);
    registry.pin('alias/a');
    const pinned = registry.get('alias/a');
    pinned.recordTtfb(10);
    registry.get('p/x1');
    registry.get('p/x2');
    registry.get('p/x1');
    registry.get('p/x3');
    expect(registry.size).toBe(3);
    expect(registry.snapshot().map((s) => s.target)).toEqual(['alias/a', 'p/x1', 'p/x3']);
    expect(registry.get('alias/a')).toBe(pinned);
  });

  it('keeps a target with requests in flight even when it is the oldest', () => {
    const registry = new HealthRegistry(undefined, undefined, 2);
    registry.get('p/busy').inFlight = 1;
    registry.get('p/idle');
    registry.get('p/new');
    expect(registry.snapshot().map((s) => s.target)).toEqual(['p/busy', 'p/new']);
  });
});
