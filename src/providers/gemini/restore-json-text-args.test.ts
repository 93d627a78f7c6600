import { describe, expect, it } from 'vitest';
import { ARRAY_ITEMS } from './clean-gemini-schema.js';
import { restoreJsonTextArgs } from './restore-json-text-args.js';

describe('restoreJsonTextArgs', () => {
  it('parses the JSON text of an object at each path, in arrays too', () => {
    const args = {
      headers: '{"accept":"text/plain","x-n":"1"}',
      rows: ['{"a":1}', ' {"b":[2]}'],
      deep: { inner: [{ bag: '{"k":null}' }, { bag: '{}' }] },
      q: '{"not":"on a path"}',
    };
    const restored = restoreJsonTextArgs(args, [
      ['headers'],
      ['rows', ARRAY_ITEMS],
      ['deep', 'inner', ARRAY_ITEMS, 'bag'],
    ]);
    expect(restored).toEqual({
      headers: { accept: 'text/plain', 'x-n': '1' },
      rows: [{ a: 1 }, { b: [2] }],
      deep: { inner: [{ bag: { k: null } }, { bag: {} }] },
      q: '{"not":"on a path"}',
    });
    // The decoded arguments are not changed in place.
    expect(args.headers).toBe('{"accept":"text/plain","x-n":"1"}');
  });

  it('leaves anything that is not an object’s JSON text as the model wrote it', () => {
    const args = { a: 'not json', b: '[1,2]', c: '{broken', d: 5, e: null, f: { already: 'an object' } };
    const paths = ['a', 'b', 'c', 'd', 'e', 'f', 'missing'].map((key) => [key]);
    expect(restoreJsonTextArgs(args, paths)).toEqual(args);
    expect(restoreJsonTextArgs({ rows: 'x' }, [['rows', ARRAY_ITEMS]])).toEqual({ rows: 'x' });
  });

  it('without paths the arguments are returned as they are', () => {
    const args = { a: '{"b":1}' };
    expect(restoreJsonTextArgs(args, [])).toBe(args);
  });
});
