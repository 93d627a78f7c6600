/**
 * A fresh mock upstream and gateway process per test, both torn down after it: call at the top of a test
 * file and use the returned `start` inside each test.
 */
import { afterEach } from 'vitest';
import type { GatewayProcess } from './gateway-process.js';
import { startGateway } from './gateway-process.js';
import type { MockUpstream } from './mock-upstream.js';
import { startMockUpstream } from './mock-upstream.js';

export interface GatewayAndUpstream {
  gateway: GatewayProcess;
  upstream: MockUpstream;
}

/** `config` writes the gateway's TOML for the upstream just started (and any extra arguments of `start`). */
export function gatewayPerTest<A extends unknown[]>(
  config: (upstream: MockUpstream, ...args: A) => string,
): (...args: A) => Promise<GatewayAndUpstream> {
  let upstream: MockUpstream | undefined;
  let gateway: GatewayProcess | undefined;
  afterEach(async () => {
    await gateway?.kill();
    await upstream?.close();
    gateway = undefined;
    upstream = undefined;
  });
  return async (...args) => {
    upstream = await startMockUpstream();
    gateway = await startGateway({ config: config(upstream, ...args) });
    return { gateway, upstream };
  };
}
