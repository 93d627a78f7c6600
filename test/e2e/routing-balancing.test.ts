/**
 * Load-balancing strategies on the real gateway process, counted at the upstreams themselves: weighted
 * random within tolerance over 200 requests, round-robin's exact rotation (and its fallback along the
 * list when the chosen target fails), least-busy avoiding a target with a request in flight, and
 * least-latency measuring each target once and then preferring the fastest, moving away when it slows.
 */
import type OpenAI from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { openaiClient } from '../support/chat-client.js';
import { useFaultUpstreams, useGateway } from '../support/e2e-gateway.js';
import type { FaultUpstream } from '../support/fault-upstream.js';

const { x, y, z } = useFaultUpstreams('x', 'y', 'z');
const provider = (name: string, upstream: FaultUpstream) => `
[providers.${name}]
type = "openai"
base_url = "${upstream.origin}/v1"
api_key = "sk-${name}-provider-key"
`;
const gateway = useGateway(() => ({
  config: `
[server]
listen = "127.0.0.1:0"
${provider('x', x)}${provider('y', y)}${provider('z', z)}
[routing]
breaker = { consecutive_failures = 1000, min_requests = 1000 }

[[models]]
alias = "weighted"
strategy = "weighted"
targets = [{ target = "x/w", weight = 3 }, { target = "y/w", weight = 1 }]

[[models]]
alias = "rr"
strategy = "round-robin"
targets = ["x/rr", "y/rr", "z/rr"]

[[models]]
alias = "busy"
strategy = "least-busy"
targets = ["x/busy", "y/busy"]

[[models]]
alias = "latency"
strategy = "least-latency"
targets = ["x/lat", "y/lat"]
`,
}));
let client: OpenAI;

beforeAll(() => {
  client = openaiClient(gateway.baseURL, 'any-client-key');
});

/** One request; the provider that served it (x-junction-provider). */
async function servedBy(model: string): Promise<string> {
  const { response } = await client.chat.completions
    .create({ model, messages: [{ role: 'user', content: 'hi' }] })
    .withResponse();
  return response.headers.get('x-junction-provider') ?? 'none';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('weighted', () => {
  it('weights 3:1 over 200 requests: about 150/50 at the upstreams, each answered once', async () => {
    const served: string[] = [];
    for (let batch = 0; batch < 20; batch++)
      served.push(...(await Promise.all(Array.from({ length: 10 }, () => servedBy('weighted')))));

    const toX = served.filter((name) => name === 'x').length;
    expect(served).toHaveLength(200);
    expect(x.requests.length + y.requests.length).toBe(200);
    expect(x.requests).toHaveLength(toX);
    // Binomial(200, 0.75): mean 150, sd 6.1; ±25 is four standard deviations.
    expect(toX).toBeGreaterThanOrEqual(125);
    expect(toX).toBeLessThanOrEqual(175);
    expect(x.requests.every((request) => request.body.model === 'w')).toBe(true);
  });

  it('falls back along the list: the heavy target failing leaves every request to the light one', async () => {
    x.setScript(() => ({ status: 503 }));
    const served = await Promise.all(Array.from({ length: 20 }, () => servedBy('weighted')));
    expect(new Set(served)).toEqual(new Set(['y']));
    expect(y.requests).toHaveLength(20);
    // Whichever came first in the weighted draw, x failed once per request at most.
    expect(x.requests.length).toBeLessThanOrEqual(20);
    expect(x.requests.length).toBeGreaterThan(5);
  });
});

describe('round-robin', () => {
  it('rotates x, y, z in order', async () => {
    const served: string[] = [];
    for (let i = 0; i < 9; i++) served.push(await servedBy('rr'));
    // The rotation continues from wherever an earlier test left it; only its order is fixed.
    const start = served[0]!;
    const cycle = ['x', 'y', 'z'];
    const offset = cycle.indexOf(start);
    expect(served).toEqual(Array.from({ length: 9 }, (_, i) => cycle[(offset + i) % 3]));
    for (const upstream of [x, y, z]) expect(upstream.requests).toHaveLength(3);
  });

  it("a failing target's turn falls to the next in the list", async () => {
    // Line the rotation up so that x comes next.
    for (let last = await servedBy('rr'); last !== 'z'; last = await servedBy('rr'));
    for (const upstream of [x, y, z]) upstream.reset();
    y.setScript(() => ({ status: 500 }));
    const served: string[] = [];
    for (let i = 0; i < 6; i++) served.push(await servedBy('rr'));
    expect(served).toEqual(['x', 'z', 'z', 'x', 'z', 'z']);
    expect(y.requests).toHaveLength(2);
  });
});

describe('least-busy', () => {
  it('sends new requests away from a target with one in flight, and back once it is free', async () => {
    x.setScript(() => ({ headerDelayMs: 800 }));
    const slow = servedBy('busy');
    // Wait until the slow request is with x (so it counts as in flight at the gateway).
    while (x.inFlight() === 0) await sleep(5);

    const during: string[] = [];
    for (let i = 0; i < 4; i++) during.push(await servedBy('busy'));
    expect(during).toEqual(['y', 'y', 'y', 'y']);
    expect(await slow).toBe('x');

    // Both idle again: the tie goes to the first in the list.
    x.setScript(() => ({}));
    expect(await servedBy('busy')).toBe('x');
    expect(x.requests).toHaveLength(2);
    expect(y.requests).toHaveLength(4);
  });
});

describe('least-latency', () => {
  it('measures each target once, then prefers the fastest, and moves away when it slows down', async () => {
    x.setScript(() => ({ headerDelayMs: 150 }));
    const served: string[] = [];
    for (let i = 0; i < 6; i++) served.push(await servedBy('latency'));
    // x first (neither measured, list order), y next (unmeasured targets are tried first), then y.
    expect(served).toEqual(['x', 'y', 'y', 'y', 'y', 'y']);

    // y becomes slower than x: its moving average (alpha 0.3) passes x's ~150 ms after a few slow
    // answers (two, unless this machine is very busy), and the traffic moves back to x.
    y.setScript(() => ({ headerDelayMs: 400 }));
    const after: string[] = [];
    for (let i = 0; i < 5 && after.at(-1) !== 'x'; i++) after.push(await servedBy('latency'));
    expect(after[0]).toBe('y');
    expect(after.at(-1)).toBe('x');
    expect(after.length).toBeGreaterThanOrEqual(2);
  });
});
