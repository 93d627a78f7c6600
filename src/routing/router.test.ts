import { describe, expect, it, vi } from 'vitest';
import { Cancellation } from '../core/cancellation.js';
import type { CanonicalEvent } from '../core/canonical-events.js';
import type { ProviderRequest } from '../core/canonical-request.js';
import type { EmbeddingRequest, EmbeddingResult } from '../core/embeddings.js';
import { GatewayError } from '../core/errors.js';
import { openAIChatDialect } from '../dialects/openai-chat/openai-chat-dialect.js';
import type {
  EmbeddingCapable,
  ProviderAdapter,
  ProviderCapabilities,
} from '../providers/provider-adapter.js';
import type { Target } from './model-catalog.js';
import { createProviderRuntime } from './provider-runtime.js';
import type { RoutePolicy } from './route-policy.js';
import { DEFAULT_POLICY } from './route-policy.js';
import type { ExecuteOptions, SkippedTarget } from './router.js';
import { attemptsOf, Router } from './router.js';
import { HealthRegistry } from './target-health.js';

const CAPABLE: ProviderCapabilities = {
  stream: true,
  tools: true,
  vision: true,
  documents: true,
  reasoning: true,
  jsonSchema: true,
};

interface FakeOptions {
  /** What `prepare` throws (the provider's converter refusing the request). */
  refuse?: GatewayError;
  /** What the upstream answers instead of text (thrown before the first event). */
  fail?: GatewayError;
  capabilities?: Partial<ProviderCapabilities>;
  embeds?: boolean;
}

type Fake = ProviderAdapter<string> &
  Partial<EmbeddingCapable> & { prepared: number; streamed: ProviderRequest[]; sent: unknown[] };

function fake(name: string, options: FakeOptions = {}): Fake {
  const provider: Fake = {
    name,
    type: 'fake',
    capabilities: { ...CAPABLE, ...options.capabilities },
    prepared: 0,
    streamed: [],
    sent: [],
    prepare(request) {
      provider.prepared += 1;
      if (options.refuse) throw options.refuse;
      return `${name}:${request.upstreamModel}`;
    },
    stream(request, _context, prepared) {
      provider.streamed.push(request);
      provider.sent.push(prepared);
      return answer(name, options.fail);
    },
  };
  if (options.embeds)
    Object.assign(provider, {
      embeddings: { tokens: false, dimensions: () => false },
      embed: async (): Promise<EmbeddingResult> => ({ vectors: [[0.5]], inputTokens: 1 }),
    });
  return provider;
}

async function* answer(name: string, fail: GatewayError | undefined): AsyncGenerator<CanonicalEvent> {
  if (fail) throw fail;
  yield { type: 'response-start', id: 'r', model: name, created: 0 };
  yield { type: 'text-delta', text: `from ${name}` };
  yield { type: 'finish', reason: 'stop', raw: 'stop' };
}

function refusal(field: string, provider: string): GatewayError {
  return new GatewayError('unsupported', `${field} is not supported by provider ${provider}: no ${field}`, {
    param: field,
    code: 'unsupported_parameter',
    provider,
  });
}

interface Bed {
  router: Router;
  health: HealthRegistry;
  metrics: { attempt: ReturnType<typeof vi.fn> };
  log: ReturnType<typeof vi.fn>;
  skipped: Array<{ skipped: readonly SkippedTarget[]; requestId: string }>;
  targets: Target[];
  runtimes: Map<string, ReturnType<typeof createProviderRuntime>>;
}

function bed(
  providers: Fake[],
  limits: Record<string, number> = {},
  breaker?: ConstructorParameters<typeof HealthRegistry>[0],
): Bed {
  const runtimes = new Map(
    providers.map((provider) => [
      provider.name,
      createProviderRuntime(provider, {
        apiKeys: [],
        ...(limits[provider.name] !== undefined
          ? { maxConcurrent: limits[provider.name], queueTimeoutMs: 10_000 }
          : {}),
      }),
    ]),
  );
  const health = new HealthRegistry(breaker);
  const metrics = { attempt: vi.fn() };
  const log = vi.fn();
  const skipped: Bed['skipped'] = [];
  const router = new Router({
    runtimes,
    health,
    metrics,
    log,
    skipped: (list, requestId) => skipped.push({ skipped: list, requestId }),
  });
  const targets = providers.map((provider) => ({
    provider,
    model: 'm',
    label: `${provider.name}/m`,
    weight: 1,
  }));
  return { router, health, metrics, log, skipped, targets, runtimes };
}

function execute(b: Bed, body: Record<string, unknown>, policy: Partial<RoutePolicy> = {}) {
  const options: ExecuteOptions = {
    dialect: 'openai-chat',
    decoded: openAIChatDialect.decodeRequest({
      model: 'route',
      messages: [{ role: 'user', content: 'hi' }],
      ...body,
    }),
    route: { targets: b.targets, policy: { ...DEFAULT_POLICY, ...policy } },
    cancel: new Cancellation(),
    requestId: 'req-1',
    clientHeaders: {},
  };
  return b.router.execute(options);
}

async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as GatewayError,
  );
}

describe('Router: a target that cannot serve the request is skipped', () => {
  it('skips a target whose provider refuses the request for the next, with no attempt on it', async () => {
    const a = fake('a', { refuse: refusal('seed', 'a') });
    const b = fake('b');
    const t = bed([a, b]);
    const outcome = await execute(t, { seed: 7 }, { retries: 2 });

    expect(outcome.target.label).toBe('b/m');
    expect(outcome.kind === 'events' && outcome.first).toMatchObject({ type: 'response-start', model: 'b' });
    // b's stream got b's own prepared request, made before its attempt.
    expect(b.sent).toEqual(['b:m']);
    expect(a.streamed).toHaveLength(0);
    // Refused once, not retried.
    expect(a.prepared).toBe(1);
    expect(outcome.attempts.map((attempt) => [attempt.target, attempt.status])).toEqual([['b/m', 200]]);
    expect(t.metrics.attempt.mock.calls.map((call) => call[1])).toEqual(['b/m']);
    expect(t.log.mock.calls.map((call) => (call[0] as { target: string }).target)).toEqual(['b/m']);
    expect(t.health.get('a/m').snapshot()).toMatchObject({
      inFlight: 0,
      breaker: { state: 'closed', consecutiveFailures: 0, windowRequests: 0 },
    });
    expect(t.health.get('a/m').snapshot().lastError).toBeUndefined();
    expect(t.skipped).toHaveLength(1);
    expect(t.skipped[0]!.requestId).toBe('req-1');
    expect(t.skipped[0]!.skipped.map((skip) => [skip.target, skip.refusal.message])).toEqual([
      ['a/m', 'seed is not supported by provider a: no seed'],
    ]);
  });

  it('skips a target the capability check refuses (tools to a provider without them)', async () => {
    const a = fake('a', { capabilities: { tools: false } });
    const b = fake('b');
    const t = bed([a, b]);
    const outcome = await execute(t, {
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
    });
    expect(outcome.target.label).toBe('b/m');
    expect(a.prepared).toBe(0);
    expect(outcome.attempts).toHaveLength(1);
    expect(t.skipped[0]!.skipped[0]!.refusal.message).toMatch(/^Tool calling is not supported by provider a/);
  });

  it('when no target can serve it, throws the first refusal in the client’s terms, with no attempts', async () => {
    const a = fake('a', { refuse: refusal('seed', 'a') });
    const b = fake('b', { capabilities: { tools: false } });
    const t = bed([a, b]);
    const error = await rejection(
      execute(t, {
        seed: 7,
        tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
      }),
    );
    expect(error).toBeInstanceOf(GatewayError);
    expect(error.status).toBe(400);
    expect(error.failureClass).toBe('unsupported');
    expect(error.param).toBe('seed');
    expect(error.message).toBe('seed is not supported by provider a: no seed');
    expect(attemptsOf(error)).toEqual([]);
    expect(t.metrics.attempt).not.toHaveBeenCalled();
    expect(t.log).not.toHaveBeenCalled();
    expect(t.skipped[0]!.skipped.map((skip) => skip.target)).toEqual(['a/m', 'b/m']);
  });

  it('a route of one target: its refusal is the answer, with no skip line', async () => {
    const a = fake('a', { refuse: refusal('seed', 'a') });
    const t = bed([a]);
    const error = await rejection(execute(t, { seed: 7 }));
    expect(error.message).toBe('seed is not supported by provider a: no seed');
    expect(t.skipped).toEqual([]);
  });

  it('after a failure another target could have served, that failure is the answer', async () => {
    const overloaded = new GatewayError('overloaded', 'busy', { status: 503, upstreamStatus: 503 });
    const a = fake('a', { fail: overloaded });
    const b = fake('b', { refuse: refusal('seed', 'b') });
    const t = bed([a, b]);
    const error = await rejection(execute(t, { seed: 7 }));
    expect(error.status).toBe(503);
    expect(attemptsOf(error).map((attempt) => attempt.target)).toEqual(['a/m']);
  });

  it('does not wait for the concurrency slot of a target it skips', async () => {
    const a = fake('a', { refuse: refusal('seed', 'a') });
    const b = fake('b');
    const t = bed([a, b], { a: 1 });
    // a's only slot is taken and never given back.
    await t.runtimes.get('a')!.limiter!.acquire(new Cancellation());
    const outcome = await execute(t, { seed: 7 });
    expect(outcome.target.label).toBe('b/m');
  });

  it('an upstream 400 is still the client’s error: no failover', async () => {
    const invalid = new GatewayError('invalid_request', 'bad', { status: 400, upstreamStatus: 400 });
    const a = fake('a', { fail: invalid });
    const b = fake('b');
    const t = bed([a, b]);
    const error = await rejection(execute(t, {}));
    expect(error.upstreamStatus).toBe(400);
    expect(b.streamed).toHaveLength(0);
    expect(attemptsOf(error)).toHaveLength(1);
    expect(t.skipped).toEqual([]);
  });

  it('a fault of Junction’s own while planning is not taken for a refusal', async () => {
    const a = fake('a', { refuse: new GatewayError('internal', 'converter bug') });
    const b = fake('b');
    const t = bed([a, b]);
    const error = await rejection(execute(t, {}));
    expect(error.failureClass).toBe('internal');
    expect(b.streamed).toHaveLength(0);
  });

  it('when the last target cannot serve it, one passed over for its open circuit is tried regardless', async () => {
    const a = fake('a');
    const b = fake('b', { refuse: refusal('seed', 'b') });
    const t = bed(
      [a, b],
      {},
      {
        consecutiveFailures: 1,
        failureRateThreshold: 1,
        minRequests: 1_000,
        windowMs: 60_000,
        cooldownMs: 60_000,
      },
    );
    // Both circuits open: the strategy keeps their order, so a is passed over while b remains.
    t.health.get('a/m').recordFailure(503, 'overloaded');
    t.health.get('b/m').recordFailure(503, 'overloaded');
    const outcome = await execute(t, { seed: 7 });
    expect(outcome.target.label).toBe('a/m');
    expect(outcome.attempts.map((attempt) => attempt.target)).toEqual(['a/m']);
    expect(b.prepared).toBe(1);
  });

  it('embeddings: a target without embeddings is skipped for the next', async () => {
    const a = fake('a');
    const e = fake('e', { embeds: true });
    const t = bed([a, e]);
    const request: EmbeddingRequest = {
      model: 'route',
      input: { kind: 'text', texts: ['x'] },
      encodingFormat: 'float',
      body: {},
    };
    const outcome = await t.router.embed({
      route: { targets: t.targets, policy: DEFAULT_POLICY },
      request,
      cancel: new Cancellation(),
      requestId: 'req-2',
      clientHeaders: {},
    });
    expect(outcome.target.label).toBe('e/m');
    expect(outcome.attempts.map((attempt) => attempt.target)).toEqual(['e/m']);
    expect(t.metrics.attempt.mock.calls.map((call) => call[1])).toEqual(['e/m']);
    expect(t.skipped[0]!.skipped[0]!.refusal.message).toMatch(/^Embeddings are not supported by provider a/);

    // And when none can take it (dimensions the model cannot shorten to), the first refusal.
    const error = await rejection(
      t.router.embed({
        route: { targets: t.targets, policy: DEFAULT_POLICY },
        request: { ...request, dimensions: 8 },
        cancel: new Cancellation(),
        requestId: 'req-3',
        clientHeaders: {},
      }),
    );
    expect(error.message).toMatch(/^Embeddings are not supported by provider a/);
    expect(attemptsOf(error)).toEqual([]);
  });
});
