/**
 * Rotating a key's secret and restoring a revoked key, on one node (memory store): which secrets open the
 * key when, and what carries over.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GatewayConfig } from '../../config/types.js';
import { GatewayError } from '../../core/errors.js';
import { createAuthenticator } from '../authenticate.js';
import { hashKey } from '../hash-key.js';
import { GovernanceState } from './governance-state.js';
import { MemoryRuntimeStore } from './memory-runtime-store.js';

const config = { keys: [{ name: 'from-config', sha256: hashKey('sk-config') }] } as unknown as GatewayConfig;

async function started(): Promise<GovernanceState> {
  const state = new GovernanceState(config, new MemoryRuntimeStore());
  await state.start();
  state.stop();
  return state;
}

/** The key name a secret opens now, or the refusal's code. */
async function opens(state: GovernanceState, secret: string): Promise<string> {
  try {
    return (await createAuthenticator({ keys: state })({ authorization: `Bearer ${secret}` })).keyName;
  } catch (error) {
    if (error instanceof GatewayError) return String(error.code);
    throw error;
  }
}

async function refusal(call: () => Promise<unknown>): Promise<{ status: number; code?: string }> {
  try {
    await call();
  } catch (error) {
    if (error instanceof GatewayError)
      return { status: error.status, ...(error.code ? { code: error.code } : {}) };
    throw error;
  }
  throw new Error('expected a refusal');
}

afterEach(() => {
  vi.useRealTimers();
});

describe('GovernanceState.rotateKey', () => {
  it('keeps the record and its limits; the old secret stops at once without a grace period', async () => {
    const state = await started();
    const { secret: first, record: created } = await state.createKey('team', { rpm: 5, tpm: 100 });
    const { secret: second, record } = await state.rotateKey('team');
    expect(record).toMatchObject({
      name: 'team',
      rpm: 5,
      tpm: 100,
      id: created.sha256,
      sha256: hashKey(second),
    });
    expect(record.previous).toBeUndefined();
    expect(await opens(state, second)).toBe('team');
    expect(await opens(state, first)).toBe('invalid_api_key');
    expect(state.listKeys().filter((key) => key.name === 'team')).toHaveLength(1);
    // The limits the authenticator hands on are the key's limits only.
    expect(await createAuthenticator({ keys: state })({ authorization: `Bearer ${second}` })).toEqual({
      keyName: 'team',
      limits: { rpm: 5, tpm: 100 },
      via: 'key',
    });
  });

  it('with a grace period the old secret opens the key until it ends; a later rotation caps earlier graces', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_000_000);
    const state = await started();
    const { secret: first } = await state.createKey('graced', {});
    const { secret: second } = await state.rotateKey('graced', 60_000);
    vi.setSystemTime(1_000_000 + 59_999);
    expect(await opens(state, first)).toBe('graced');
    vi.setSystemTime(1_000_000 + 60_000);
    expect(await opens(state, first)).toBe('invalid_api_key');
    expect(await opens(state, second)).toBe('graced');

    const { secret: third } = await state.rotateKey('graced', 3_600_000);
    const { secret: fourth, record } = await state.rotateKey('graced', 10_000);
    // The second (graced an hour) now ends with the fourth's grace, like the third.
    expect(record.previous?.map((previous) => previous.expiresAt)).toEqual([
      1_000_000 + 70_000,
      1_000_000 + 70_000,
    ]);
    for (const secret of [second, third, fourth]) expect(await opens(state, secret)).toBe('graced');
    vi.setSystemTime(1_000_000 + 70_000);
    for (const secret of [second, third]) expect(await opens(state, secret)).toBe('invalid_api_key');
    expect(await opens(state, fourth)).toBe('graced');
  });

  it('refuses a config key (409 config_key) and an unknown one (404)', async () => {
    const state = await started();
    expect(await refusal(() => state.rotateKey('from-config'))).toEqual({ status: 409, code: 'config_key' });
    expect(await refusal(() => state.rotateKey('nobody'))).toEqual({ status: 404, code: 'key_not_found' });
    expect(await opens(state, 'sk-config')).toBe('from-config');
  });

  it('a revocation ends every grace; a revoked key rotates without one and stays revoked until restored', async () => {
    const state = await started();
    const { secret: first } = await state.createKey('leaky', {});
    const { secret: second } = await state.rotateKey('leaky', 3_600_000);
    await state.revokeKey('leaky');
    expect(state.keyByName('leaky')?.previous).toBeUndefined();
    expect(await refusal(() => state.rotateKey('leaky', 1_000))).toEqual({
      status: 409,
      code: 'key_revoked',
    });
    const { secret: third, record } = await state.rotateKey('leaky');
    expect(record.revoked).toBe(true);
    expect(await opens(state, third)).toBe('revoked_api_key');
    await state.restoreKey('leaky');
    expect(await opens(state, third)).toBe('leaky');
    for (const secret of [first, second]) expect(await opens(state, secret)).toBe('invalid_api_key');
  });

  it('restores revoked config and admin keys with their own secret', async () => {
    const state = await started();
    const { secret } = await state.createKey('back', {});
    await state.revokeKey('back');
    await state.revokeKey('from-config');
    expect(await opens(state, secret)).toBe('revoked_api_key');
    expect(await opens(state, 'sk-config')).toBe('revoked_api_key');
    await state.restoreKey('back');
    await state.restoreKey('from-config');
    expect(await opens(state, secret)).toBe('back');
    expect(await opens(state, 'sk-config')).toBe('from-config');
    expect(await refusal(() => state.restoreKey('nobody'))).toEqual({ status: 404, code: 'key_not_found' });
  });
});

describe('GovernanceState.lookupHash', () => {
  it('does not ask a store no other node writes about a secret it has not loaded', async () => {
    const store = new MemoryRuntimeStore();
    const state = new GovernanceState(config, store);
    await state.start();
    state.stop();
    const find = vi.spyOn(store, 'findKeyByHash');
    expect(await opens(state, 'sk-never-issued')).toBe('invalid_api_key');
    expect(find).not.toHaveBeenCalled();
  });
});
