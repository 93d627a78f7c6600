/**
 * Runtime keys on the real Redis, changed through two GovernanceState "nodes" at once, as two admins
 * (or one admin behind a load balancer) would: no change may undo another one.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { GatewayConfig } from '../../config/types.js';
import { redisTestSpace } from '../../storage/testing/redis-test-space.js';
import { redisAvailable } from '../../storage/testing/require-service.js';
import { hashKey } from '../hash-key.js';
import { GovernanceState } from './governance-state.js';
import { RedisRuntimeStore } from './redis-runtime-store.js';

const available = await redisAvailable();
const space = redisTestSpace();

describe.skipIf(!available)('GovernanceState on Redis, two nodes', () => {
  afterAll(async () => {
    await space.deleteKeys();
    await space.closeAll();
  });

  const config = {
    keys: [{ name: 'from-config', sha256: hashKey('sk-config'), rpm: 10 }],
  } as unknown as GatewayConfig;
  const node = async () => {
    const state = new GovernanceState(config, new RedisRuntimeStore(await space.connect(), space.prefix));
    await state.start();
    return state;
  };

  it('a revocation on one node survives a concurrent limit change on the other', async () => {
    const [a, b] = [await node(), await node()];
    for (let i = 0; i < 20; i++) {
      const name = `admin-key-${i}`;
      await a.createKey(name, { rpm: 100 });
      await Promise.all([a.revokeKey(name), b.updateKey(name, { rpm: 5 })]);
      await Promise.all([a.refresh(true), b.refresh(true)]);
      for (const state of [a, b]) expect(state.keyByName(name)).toMatchObject({ revoked: true, rpm: 5 });
    }
    for (let i = 0; i < 20; i++) {
      await a.updateKey('from-config', { revoked: false });
      await Promise.all([a.revokeKey('from-config'), b.updateKey('from-config', { tpm: 1000 + i })]);
      await Promise.all([a.refresh(true), b.refresh(true)]);
      for (const state of [a, b])
        expect(state.keyByName('from-config')).toMatchObject({ revoked: true, tpm: 1000 + i });
    }
    a.stop();
    b.stop();
  });

  it('a rotation on one node is live on the other before it polls, and survives concurrent changes there', async () => {
    const [a, b] = [await node(), await node()];
    // Neither polls: b learns of a's changes only by asking the store on a miss, or by refreshing.
    a.stop();
    b.stop();
    for (let i = 0; i < 10; i++) {
      const name = `rotated-${i}`;
      const { secret: first } = await a.createKey(name, { rpm: 100 });
      const [{ secret: second }] = await Promise.all([
        a.rotateKey(name, 60_000),
        b.updateKey(name, { rpm: 5 }),
        b.updateKey(name, { tpm: 2000 + i }),
      ]);
      // b never saw the new secret, yet takes it at once (one store lookup).
      expect(await b.lookupHash(hashKey(second))).toMatchObject({ name, sha256: hashKey(second) });
      await Promise.all([a.refresh(true), b.refresh(true)]);
      for (const state of [a, b]) {
        expect(state.keyByName(name)).toMatchObject({ rpm: 5, tpm: 2000 + i, sha256: hashKey(second) });
        expect(state.keyByHash(hashKey(first))?.name).toBe(name);
      }
      // Rotated again without grace on b: the first two secrets stop on a once it has refreshed.
      const { secret: third } = await b.rotateKey(name);
      await a.refresh(true);
      expect(a.keyByHash(hashKey(first))).toBeUndefined();
      expect(a.keyByHash(hashKey(second))).toBeUndefined();
      expect(a.keyByHash(hashKey(third))?.name).toBe(name);
    }
  });

  it('a key revoked on one node and restored on the other answers again everywhere', async () => {
    const [a, b] = [await node(), await node()];
    const { secret } = await a.createKey('restored', {});
    await a.revokeKey('restored');
    await b.restoreKey('restored');
    await a.refresh(true);
    expect(a.keyByHash(hashKey(secret))).toMatchObject({ name: 'restored', revoked: false });
    a.stop();
    b.stop();
  });
});
