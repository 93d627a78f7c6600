import { describe, expect, it } from 'vitest';
import { cleanGeminiSchema, cleanGeminiSchemaNode } from './clean-gemini-schema.js';

type Schema = Record<string, unknown>;

describe('cleanGeminiSchema', () => {
  const cases: Array<{ name: string; input: Schema; expected: Schema | undefined }> = [
    {
      name: 'drops $schema, additionalProperties, strict, title, default, examples',
      input: {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        title: 'Args',
        strict: true,
        additionalProperties: false,
        properties: {
          q: { type: 'string', default: 'x', examples: ['y'], title: 'Q', description: 'query' },
        },
        required: ['q'],
      },
      expected: {
        type: 'object',
        properties: { q: { type: 'string', description: 'query' } },
        required: ['q'],
      },
    },
    {
      name: 'empty object at the root means no parameters',
      input: { type: 'object', properties: {}, additionalProperties: false },
      expected: undefined,
    },
    {
      name: 'no properties at all is also no parameters',
      input: { type: 'object' },
      expected: undefined,
    },
    {
      name: "type: [x, 'null'] becomes nullable",
      input: { type: 'object', properties: { n: { type: ['integer', 'null'], minimum: 0, maximum: 9 } } },
      expected: {
        type: 'object',
        properties: { n: { type: 'integer', nullable: true, minimum: 0, maximum: 9 } },
      },
    },
    {
      name: 'several non-null types become anyOf',
      input: { type: 'object', properties: { v: { type: ['string', 'number'] } } },
      expected: { type: 'object', properties: { v: { anyOf: [{ type: 'string' }, { type: 'number' }] } } },
    },
    {
      name: 'anyOf with a null member collapses to the other member, nullable',
      input: {
        type: 'object',
        properties: {
          d: { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }], description: 'when' },
        },
      },
      expected: {
        type: 'object',
        properties: { d: { type: 'string', format: 'date-time', description: 'when', nullable: true } },
      },
    },
    {
      name: 'oneOf becomes anyOf',
      input: {
        type: 'object',
        properties: { u: { oneOf: [{ type: 'string' }, { type: 'integer', format: 'int64' }] } },
      },
      expected: {
        type: 'object',
        properties: { u: { anyOf: [{ type: 'string' }, { type: 'integer', format: 'int64' }] } },
      },
    },
    {
      name: 'unsupported formats are dropped, allowed ones kept',
      input: {
        type: 'object',
        properties: {
          email: { type: 'string', format: 'email' },
          uri: { type: 'string', format: 'uri' },
          at: { type: 'string', format: 'date-time' },
          f: { type: 'number', format: 'float' },
        },
      },
      expected: {
        type: 'object',
        properties: {
          email: { type: 'string' },
          uri: { type: 'string' },
          at: { type: 'string', format: 'date-time' },
          f: { type: 'number', format: 'float' },
        },
      },
    },
    {
      name: 'string enums kept, const becomes enum, numeric enums dropped',
      input: {
        type: 'object',
        properties: {
          unit: { type: 'string', enum: ['c', 'f'] },
          kind: { const: 'fixed' },
          level: { type: 'integer', enum: [1, 2, 3] },
          maybe: { enum: ['a', null] },
        },
      },
      expected: {
        type: 'object',
        properties: {
          unit: { type: 'string', enum: ['c', 'f'] },
          kind: { type: 'string', enum: ['fixed'] },
          level: { type: 'integer' },
          maybe: { type: 'string', enum: ['a'], nullable: true },
        },
      },
    },
    {
      name: 'arrays keep items and minItems/maxItems; uniqueItems dropped',
      input: {
        type: 'object',
        properties: {
          tags: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 5, uniqueItems: true },
        },
      },
      expected: {
        type: 'object',
        properties: { tags: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 5 } },
      },
    },
    {
      name: '$ref into $defs is inlined (siblings win), $defs dropped',
      input: {
        type: 'object',
        properties: {
          home: { $ref: '#/$defs/Address', description: 'home address' },
          work: { $ref: '#/definitions/Address' },
        },
        required: ['home'],
        $defs: {
          Address: {
            type: 'object',
            properties: { city: { type: 'string' } },
            required: ['city'],
            additionalProperties: false,
          },
        },
        definitions: { Address: { type: 'object', properties: { zip: { type: 'string' } } } },
      },
      expected: {
        type: 'object',
        properties: {
          home: {
            type: 'object',
            description: 'home address',
            properties: { city: { type: 'string' } },
            required: ['city'],
          },
          work: { type: 'object', properties: { zip: { type: 'string' } } },
        },
        required: ['home'],
      },
    },
    {
      name: 'a recursive $ref is cut at its type',
      input: {
        type: 'object',
        properties: { tree: { $ref: '#/$defs/Node' } },
        $defs: {
          Node: {
            type: 'object',
            description: 'a node',
            properties: { children: { type: 'array', items: { $ref: '#/$defs/Node' } } },
          },
        },
      },
      expected: {
        type: 'object',
        properties: {
          tree: {
            type: 'object',
            description: 'a node',
            properties: { children: { type: 'array', items: { type: 'object', description: 'a node' } } },
          },
        },
      },
    },
    {
      name: 'allOf is merged',
      input: {
        type: 'object',
        properties: {
          p: {
            allOf: [
              { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
              { properties: { b: { type: 'boolean' } } },
            ],
          },
        },
      },
      expected: {
        type: 'object',
        properties: {
          p: {
            type: 'object',
            properties: { a: { type: 'string' }, b: { type: 'boolean' } },
            required: ['a'],
          },
        },
      },
    },
    {
      name: 'required names that are not properties are removed',
      input: { type: 'object', properties: { a: { type: 'string' } }, required: ['a', 'ghost'] },
      expected: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
    },
    {
      name: 'pattern/length/exclusive bounds and not are dropped',
      input: {
        type: 'object',
        properties: {
          s: { type: 'string', pattern: '^a', minLength: 1, maxLength: 3, not: { const: 'b' } },
          n: { type: 'number', exclusiveMinimum: 0, multipleOf: 2 },
        },
      },
      expected: { type: 'object', properties: { s: { type: 'string' }, n: { type: 'number' } } },
    },
  ];

  it.each(cases)('$name', ({ input, expected }) => {
    expect(cleanGeminiSchema(input)).toEqual(expected);
  });

  it('does not modify its input', () => {
    const input = {
      type: 'object',
      properties: { a: { $ref: '#/$defs/A' } },
      $defs: { A: { type: 'string' } },
    };
    const copy = structuredClone(input);
    cleanGeminiSchema(input);
    expect(input).toEqual(copy);
  });

  it('cleanGeminiSchemaNode keeps an empty object schema (response schemas)', () => {
    expect(cleanGeminiSchemaNode({ type: 'object', additionalProperties: false })).toEqual({
      type: 'object',
    });
  });
});
