import { describe, expect, it } from 'vitest';
import { PartialArgsBuilder, parseJsonPath } from './gemini-partial-args.js';

describe('parseJsonPath', () => {
  it.each([
    ['$.location', ['location']],
    ['$.recipe.ingredients[7].amount', ['recipe', 'ingredients', 7, 'amount']],
    ['$.operations[0].price', ['operations', 0, 'price']],
    ["$['a b'].c", ['a b', 'c']],
    ['$["x.y"][2]', ['x.y', 2]],
    ['$.città', ['città']],
    ['$', []],
    ['location', undefined],
    ['$.a[b]', undefined],
  ])('%s', (path, expected) => {
    expect(parseJsonPath(path)).toEqual(expected);
  });
});

describe('PartialArgsBuilder', () => {
  it('concatenates string pieces of one path and sets other values', () => {
    const builder = new PartialArgsBuilder();
    builder.apply({ jsonPath: '$.s[0]', stringValue: 'In a dish, spread a', willContinue: true });
    builder.apply({ jsonPath: '$.s[0]', stringValue: ' thin layer.', willContinue: true });
    builder.apply({ jsonPath: '$.s[0]', stringValue: '' });
    builder.apply({ jsonPath: '$.n', numberValue: 0.5 });
    builder.apply({ jsonPath: '$.o.flag', boolValue: false });
    builder.apply({ jsonPath: '$.o.none', nullValue: 'NULL_VALUE' });
    builder.apply({ stringValue: 'no path is ignored' });
    expect(builder.value).toEqual({
      s: ['In a dish, spread a thin layer.'],
      n: 0.5,
      o: { flag: false, none: null },
    });
  });
});
