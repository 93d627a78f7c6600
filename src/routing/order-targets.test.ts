import { describe, expect, it } from 'vitest';
import { orderTargets } from './order-targets.js';
import { TargetHealth } from './target-health.js';

function targets(...specs: Array<[string, number]>) {
  return specs.map(([name, weight]) => ({ target: name, weight, health: new TargetHealth(name) }));
}

const names = (list: Array<{ target: string }>): string[] => list.map((t) => t.target);

describe('orderTargets', () => {
  it('fallback keeps the configured order', () => {
    expect(names(orderTargets('fallback', targets(['a', 1], ['b', 1], ['c', 1]), { cursor: 0 }))).toEqual([
      'a',
      'b',
      'c',
    ]);
  });

  it('round-robin rotates the first choice and keeps the rest as fallbacks', () => {
    const list = targets(['a', 1], ['b', 1], ['c', 1]);
    const state = { cursor: 0 };
    const firsts = Array.from({ length: 6 }, () => names(orderTargets('round-robin', list, state)));
    expect(firsts.map((order) => order[0])).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
    expect(firsts[1]).toEqual(['b', 'c', 'a']);
  });

  it('weighted picks follow the weights within tolerance over many draws', () => {
    const list = targets(['a', 3], ['b', 1]);
    const counts = { a: 0, b: 0 } as Record<string, number>;
    for (let i = 0; i < 20_000; i++) counts[orderTargets('weighted', list, { cursor: 0 })[0]!.target]! += 1;
    expect(counts.a! / 20_000).toBeGreaterThan(0.73);
    expect(counts.a! / 20_000).toBeLessThan(0.77);
  });

  it('least-latency tries the unmeasured, then the fastest', () => {
    const list = targets(['slow', 1], ['fast', 1], ['new', 1]);
    list[0]!.health.recordTtfb(500);
    list[1]!.health.recordTtfb(50);
    expect(names(orderTargets('least-latency', list, { cursor: 0 }))).toEqual(['new', 'fast', 'slow']);
  });

  it('least-busy prefers the fewest in flight', () => {
    const list = targets(['a', 1], ['b', 1]);
    list[0]!.health.inFlight = 4;
    list[1]!.health.inFlight = 1;
    expect(names(orderTargets('least-busy', list, { cursor: 0 }))).toEqual(['b', 'a']);
  });

  it('moves targets with an open circuit to the end', () => {
    const list = targets(['a', 1], ['b', 1]);
    for (let i = 0; i < 5; i++) list[0]!.health.recordFailure(503, 'overloaded');
    expect(names(orderTargets('fallback', list, { cursor: 0 }))).toEqual(['b', 'a']);
  });
});
