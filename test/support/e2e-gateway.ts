/**
 * The setup most end-to-end files share: a gateway process (and the mock or fault upstreams it is
 * configured against) started before the file's tests and stopped after them, and the config lines such
 * gateways start with.
 *
 * Hooks run in the order they are registered and after-hooks in reverse, so upstreams registered before
 * the gateway are up when its config is built and close only after it has stopped.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { FaultUpstream } from './fault-upstream.js';
import { startFaultUpstream } from './fault-upstream.js';
import type { GatewayOptions, GatewayProcess } from './gateway-process.js';
import { startGateway } from './gateway-process.js';
import type { MockUpstream } from './mock-upstream.js';
import { startMockUpstream } from './mock-upstream.js';

/**
 * `[server]` on a free loopback port with client auth required (plus `serverLines`), and one `[[keys]]`
 * table per name. A key may be `env:VAR`.
 */
export function serverWithKeys(keys: Record<string, string>, serverLines = ''): string {
  const server = `
[server]
listen = "127.0.0.1:0"
require_auth = true
${serverLines}`;
  const tables = Object.entries(keys).map(
    ([name, key]) => `
[[keys]]
name = "${name}"
key = "${key}"
`,
  );
  return `${server}${tables.join('')}`;
}

/**
 * `[server]` on a free loopback port without client auth, the usage log off, and the admin API behind
 * `adminToken` (plus `adminLines`).
 */
export function serverWithAdmin(adminToken: string, adminLines = ''): string {
  return `
[server]
listen = "127.0.0.1:0"

[usage]
enabled = false

[admin]
token = "${adminToken}"
${adminLines}`;
}

/**
 * The routing test bed's config head: `[server]` on a free loopback port without client auth, and
 * providers `a` and `b` (OpenAI wire) and `claude` (Anthropic wire), one fault upstream each.
 */
export function abClaudeGateway(a: FaultUpstream, b: FaultUpstream, claude: FaultUpstream): string {
  return `
[server]
listen = "127.0.0.1:0"

[providers.a]
type = "openai"
base_url = "${a.origin}/v1"
api_key = "sk-provider-a-0001"

[providers.b]
type = "openai"
base_url = "${b.origin}/v1"
api_key = "sk-provider-b-0002"

[providers.claude]
type = "anthropic"
base_url = "${claude.origin}"
api_key = "sk-ant-provider-0003"
`;
}

interface Resettable {
  reset(): void;
  close(): Promise<void>;
}

/**
 * Upstreams for the whole file, one per name: started together before its tests, reset (requests and
 * queued answers forgotten) before each test, closed after.
 */
function useNamedUpstreams<U extends Resettable, Names extends readonly string[]>(
  kind: string,
  start: () => Promise<U>,
  names: Names,
): Record<Names[number], U> {
  const started = new Map<string, U>();
  beforeAll(async () => {
    const upstreams = await Promise.all(names.map(() => start()));
    for (const [i, name] of names.entries()) started.set(name, upstreams[i]!);
  });
  afterAll(async () => {
    await Promise.all([...started.values()].map((upstream) => upstream.close()));
  });
  beforeEach(() => {
    for (const upstream of started.values()) upstream.reset();
  });
  const handles: Record<string, U> = {};
  for (const name of names) handles[name] = lateBound(`${kind} ${name}`, () => started.get(name));
  return handles as Record<Names[number], U>;
}

/** Fault upstreams for the whole file, one per name (see useNamedUpstreams). */
export function useFaultUpstreams<const Names extends readonly string[]>(
  ...names: Names
): Record<Names[number], FaultUpstream> {
  return useNamedUpstreams('fault upstream', () => startFaultUpstream(), names);
}

/** Mock upstreams for the whole file, one per name (see useNamedUpstreams). */
export function useMockUpstreams<const Names extends readonly string[]>(
  ...names: Names
): Record<Names[number], MockUpstream> {
  return useNamedUpstreams('mock upstream', () => startMockUpstream(), names);
}

/** A gateway for the whole file, started before its tests from `options()` and stopped after them. */
export function useGateway(options: () => GatewayOptions): GatewayProcess {
  return useStarted(
    'gateway',
    () => startGateway(options()),
    (gateway) => gateway.stop(),
  );
}

/**
 * Anything a file starts before its tests and stops after them (a set of upstreams and a gateway, say),
 * named at the top of the file.
 */
export function useStarted<T extends object>(
  name: string,
  start: () => Promise<T>,
  stop: (value: T) => Promise<void>,
): T {
  let value: T | undefined;
  beforeAll(async () => {
    value = await start();
  });
  afterAll(async () => {
    if (value !== undefined) await stop(value);
  });
  return lateBound(name, () => value);
}

/**
 * A mock upstream and a gateway configured against it (`options` gets the started mock, for its origin),
 * for the whole file: the mock forgets its requests and queued answers before each test; the gateway
 * stops before the mock closes.
 */
export function useGatewayWithMock(options: (mock: MockUpstream) => GatewayOptions): {
  mock: MockUpstream;
  gateway: GatewayProcess;
} {
  let mock: MockUpstream | undefined;
  let gateway: GatewayProcess | undefined;
  beforeAll(async () => {
    mock = await startMockUpstream();
    gateway = await startGateway(options(mock));
  });
  afterAll(async () => {
    await gateway?.stop();
    await mock?.close();
  });
  beforeEach(() => mock?.reset());
  return { mock: lateBound('mock upstream', () => mock), gateway: lateBound('gateway', () => gateway) };
}

/**
 * Stands for a value a beforeAll hook makes, so a file can name it at the top: every property read goes
 * to the value once it exists.
 */
function lateBound<T extends object>(name: string, current: () => T | undefined): T {
  return new Proxy({} as T, {
    get(_stand, property) {
      const value = current();
      if (value === undefined) throw new Error(`${name} not started yet: use it inside a test or a hook`);
      const member: unknown = Reflect.get(value, property, value);
      return typeof member === 'function' ? member.bind(value) : member;
    },
  });
}
