import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { JsonTextPath } from './clean-gemini-schema.js';
import { ARRAY_ITEMS, cleanGeminiSchema, cleanGeminiSchemaNode } from './clean-gemini-schema.js';

type Schema = Record<string, unknown>;

const JSON_TEXT = 'A JSON object, written as JSON text.';

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
      name: 'a recursive $ref is cut at its type (an object cut short goes as JSON text)',
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
            properties: {
              children: {
                type: 'array',
                items: { type: 'string', description: `a node\n${JSON_TEXT}` },
              },
            },
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

/**
 * What Gemini refuses about object nodes, checked at every depth: a node without a type (unless it is an
 * anyOf), `properties` on anything but an OBJECT, and an OBJECT without properties below the top.
 */
function geminiObjectViolations(node: unknown, path = '$', top = true): string[] {
  if (typeof node !== 'object' || node === null) return [`${path}: not a schema`];
  const schema = node as Schema;
  const out: string[] = [];
  if (schema.type === undefined && schema.anyOf === undefined) out.push(`${path}: type must be specified`);
  if (schema.properties !== undefined && schema.type !== 'object')
    out.push(`${path}: properties only allowed for OBJECT type`);
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  if (schema.type === 'object' && !top && Object.keys(properties).length === 0)
    out.push(`${path}: properties should be non-empty for OBJECT type`);
  for (const [key, value] of Object.entries(properties))
    out.push(...geminiObjectViolations(value, `${path}.${key}`, false));
  if (schema.items !== undefined) out.push(...geminiObjectViolations(schema.items, `${path}[]`, false));
  for (const [i, member] of ((schema.anyOf ?? []) as unknown[]).entries())
    out.push(...geminiObjectViolations(member, `${path}.anyOf[${i}]`, false));
  return out;
}

describe('object nodes Gemini accepts at every depth', () => {
  // The shapes Gemini refused (the audit's reproduction): an empty nested object, a map
  // (additionalProperties, as zod's z.record writes it) and properties without a type.
  const nested: Schema = {
    type: 'object',
    properties: {
      headers: { type: 'object', additionalProperties: { type: 'string' }, description: 'HTTP headers' },
      opts: { type: 'object', properties: {} },
      q: { properties: { a: { type: 'string' } } },
    },
    required: ['headers', 'q'],
  };

  it('properties without a type become an OBJECT; free-form objects go as JSON text, their paths reported', () => {
    const jsonText: JsonTextPath[] = [];
    const cleaned = cleanGeminiSchema(nested, jsonText);
    expect(cleaned).toEqual({
      type: 'object',
      properties: {
        headers: { type: 'string', description: `HTTP headers\n${JSON_TEXT}` },
        opts: { type: 'string', description: JSON_TEXT },
        q: { type: 'object', properties: { a: { type: 'string' } } },
      },
      required: ['headers', 'q'],
    });
    expect(jsonText).toEqual([['headers'], ['opts']]);
    expect(geminiObjectViolations(cleaned)).toEqual([]);
  });

  it('a zod z.record argument (z.toJSONSchema) is sent as JSON text', () => {
    const jsonText: JsonTextPath[] = [];
    const schema = z.toJSONSchema(z.object({ labels: z.record(z.string(), z.string()) })) as Schema;
    const cleaned = cleanGeminiSchema(schema, jsonText);
    expect(cleaned).toEqual({
      type: 'object',
      properties: { labels: { type: 'string', description: JSON_TEXT } },
      required: ['labels'],
    });
    expect(jsonText).toEqual([['labels']]);
  });

  it('in arrays, nullable, anyOf members and $defs, at any depth; a non-object keeps no properties', () => {
    const jsonText: JsonTextPath[] = [];
    const schema: Schema = {
      type: 'object',
      properties: {
        rows: { type: 'array', items: { type: 'object' } },
        meta: { type: ['object', 'null'], description: 'extra' },
        either: { anyOf: [{ type: 'object', additionalProperties: true }, { type: 'integer' }] },
        deep: { $ref: '#/$defs/Deep' },
        s: { type: 'string', properties: { x: { type: 'string' } } },
      },
      $defs: {
        Deep: {
          type: 'object',
          properties: { inner: { type: 'array', items: { properties: { bag: { type: 'object' } } } } },
        },
      },
    };
    const cleaned = cleanGeminiSchema(schema, jsonText);
    expect(cleaned).toEqual({
      type: 'object',
      properties: {
        rows: { type: 'array', items: { type: 'string', description: JSON_TEXT } },
        meta: { type: 'string', description: `extra\n${JSON_TEXT}`, nullable: true },
        either: { anyOf: [{ type: 'string', description: JSON_TEXT }, { type: 'integer' }] },
        deep: {
          type: 'object',
          properties: {
            inner: {
              type: 'array',
              items: {
                type: 'object',
                properties: { bag: { type: 'string', description: JSON_TEXT } },
              },
            },
          },
        },
        s: { type: 'string' },
      },
    });
    expect(jsonText).toEqual([
      ['rows', ARRAY_ITEMS],
      ['meta'],
      ['either'],
      ['deep', 'inner', ARRAY_ITEMS, 'bag'],
    ]);
    expect(geminiObjectViolations(cleaned)).toEqual([]);
  });

  it('a response schema is cleaned the same way; its top may stay an object without properties', () => {
    const jsonText: JsonTextPath[] = [];
    expect(cleanGeminiSchemaNode(nested, jsonText)).toEqual(cleanGeminiSchema(nested));
    expect(jsonText).toEqual([['headers'], ['opts']]);
    expect(cleanGeminiSchemaNode({ type: 'object', properties: {} })).toEqual({
      type: 'object',
      properties: {},
    });
  });
});
