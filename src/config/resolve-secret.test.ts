import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { resolveKeyHash, resolveSecret, sha256Hex } from './resolve-secret.js';

const HASH_OF_ABC = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

describe('resolveSecret', () => {
  it('reads env:VAR from the given environment', () => {
    expect(resolveSecret('env:OPENAI_API_KEY', { OPENAI_API_KEY: 'sk-test' })).toEqual({
      ok: true,
      value: 'sk-test',
    });
  });

  it('keeps anything else as a literal', () => {
    expect(resolveSecret('sk-literal', {})).toEqual({ ok: true, value: 'sk-literal' });
    expect(resolveSecret('ENV:X', { X: 'y' })).toEqual({ ok: true, value: 'ENV:X' });
  });

  it.each([
    ['missing', {}],
    ['empty', { ANTHROPIC_API_KEY: '' }],
  ])('reports a %s variable', (_, env) => {
    expect(resolveSecret('env:ANTHROPIC_API_KEY', env)).toEqual({
      ok: false,
      problem: 'environment variable ANTHROPIC_API_KEY is not set',
    });
  });

  it.each(['env:', 'env:1ABC', 'env:MY-KEY', 'env: KEY'])('rejects a malformed reference %j', (value) => {
    const result = resolveSecret(value, { '1ABC': 'x', 'MY-KEY': 'x', KEY: 'x' });
    expect(result).toEqual({ ok: false, problem: expect.stringContaining('"env:" must be followed by') });
  });
});

describe('resolveKeyHash', () => {
  it('hashes a literal key with sha256', () => {
    expect(resolveKeyHash('abc', {})).toEqual({ ok: true, value: HASH_OF_ABC });
  });

  it('hashes the resolved value of env:VAR, not the reference', () => {
    expect(resolveKeyHash('env:TEAM_A_KEY', { TEAM_A_KEY: 'abc' })).toEqual({ ok: true, value: HASH_OF_ABC });
  });

  it('keeps a sha256:<hex> literal as the hash, lower-cased', () => {
    expect(resolveKeyHash(`sha256:${HASH_OF_ABC.toUpperCase()}`, {})).toEqual({
      ok: true,
      value: HASH_OF_ABC,
    });
  });

  it.each([
    `sha256:${HASH_OF_ABC.slice(1)}`,
    `sha256:${HASH_OF_ABC}0`,
    `sha256:${'g'.repeat(64)}`,
    'sha256:',
  ])('rejects a malformed hash %j', (value) => {
    expect(resolveKeyHash(value, {})).toEqual({
      ok: false,
      problem: '"sha256:" must be followed by exactly 64 hex digits',
    });
  });

  it('passes env problems through', () => {
    expect(resolveKeyHash('env:NOPE', {})).toEqual({
      ok: false,
      problem: 'environment variable NOPE is not set',
    });
  });

  it('sha256Hex matches node:crypto', () => {
    expect(sha256Hex('héllo')).toBe(createHash('sha256').update('héllo').digest('hex'));
  });
});
