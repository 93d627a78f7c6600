/**
 * Validates values against component schemas of the official OpenAI OpenAPI description
 * (../shared/fixtures/specs/openai-openapi.yaml). The whole spec is registered once under an $id and
 * each component is compiled on first use through a `<id>#/components/schemas/<Name>` reference.
 *
 * OpenAPI 3.1 is JSON Schema 2020-12 plus a few OpenAPI-isms, normalized here: `nullable: true` (left
 * over from 3.0 in a few places) becomes a union with null, and `discriminator` is dropped (it is a
 * hint; the oneOf/anyOf it decorates still validates). Formats OpenAPI uses but ajv-formats does not
 * know (unixtime, int64, binary, ...) are registered with their meaning or as annotations.
 */
import { readFileSync } from 'node:fs';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { expect } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { fixturePath } from './fixtures.js';

const SPEC_ID = 'https://junction.test/openai-openapi.json';

// Both packages are CommonJS with a default export; under NodeNext the default may arrive wrapped.
type AjvClass = typeof Ajv2020Module.default;
const Ajv2020 = ((Ajv2020Module as unknown as { default?: AjvClass }).default ?? Ajv2020Module) as AjvClass;
type AddFormats = typeof addFormatsModule.default;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ??
  addFormatsModule) as AddFormats;

type Ajv = InstanceType<AjvClass>;
let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

function instance(): Ajv {
  if (ajv) return ajv;
  const spec = normalizeOpenApi(parseYaml(readFileSync(fixturePath('specs/openai-openapi.yaml'), 'utf8')));
  const created = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(created);
  created.addFormat('unixtime', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= 0 });
  created.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  for (const annotation of ['binary', 'double', 'float', 'png', 'json', 'verbose_json', 'diarized_json']) {
    created.addFormat(annotation, true);
  }
  (spec as Record<string, unknown>).$id = SPEC_ID;
  created.addSchema(spec as object, SPEC_ID);
  ajv = created;
  return created;
}

/** Returns a validator for `#/components/schemas/<name>`. */
export function specValidator(schemaName: string): ValidateFunction {
  const cached = compiled.get(schemaName);
  if (cached) return cached;
  const validate = instance().getSchema(`${SPEC_ID}#/components/schemas/${schemaName}`);
  if (!validate) throw new Error(`openai-openapi.yaml has no components.schemas.${schemaName}`);
  compiled.set(schemaName, validate);
  return validate;
}

/** The validation errors as readable lines, or [] when the value is valid. */
export function specErrors(schemaName: string, value: unknown): string[] {
  const validate = specValidator(schemaName);
  if (validate(value)) return [];
  return (validate.errors ?? []).map(
    (error) => `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`,
  );
}

/**
 * Fails the test (listing every violation) unless `value` is valid against the named component schema.
 * A soft expectation: the test's other assertions still run, so one spec violation does not hide them.
 */
export function expectValidAgainstSpec(schemaName: string, value: unknown): void {
  const errors = specErrors(schemaName, value);
  expect.soft(errors, `${schemaName} violations for ${JSON.stringify(value).slice(0, 400)}`).toEqual([]);
}

/** Rewrites OpenAPI-isms into plain JSON Schema 2020-12, in place, everywhere in the document. */
export function normalizeOpenApi(node: unknown): unknown {
  if (Array.isArray(node)) {
    for (const item of node) normalizeOpenApi(item);
    return node;
  }
  if (typeof node !== 'object' || node === null) return node;
  const schema = node as Record<string, unknown>;
  for (const value of Object.values(schema)) normalizeOpenApi(value);
  // Only the keyword forms: a property that happens to be named "discriminator" or "nullable" holds a schema.
  if (isDiscriminator(schema.discriminator)) delete schema.discriminator;
  if (schema.nullable === true) {
    delete schema.nullable;
    makeNullable(schema);
  } else if (schema.nullable === false) {
    delete schema.nullable;
  }
  return schema;
}

function isDiscriminator(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { propertyName?: unknown }).propertyName === 'string'
  );
}

function makeNullable(schema: Record<string, unknown>): void {
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
  if (typeof schema.type === 'string') {
    schema.type = [schema.type, 'null'];
    return;
  }
  if (Array.isArray(schema.type)) {
    if (!schema.type.includes('null')) schema.type = [...schema.type, 'null'];
    return;
  }
  // `$ref` (or a composition) with nullable: move it into anyOf alongside null.
  const moved: Record<string, unknown> = {};
  for (const key of ['$ref', 'allOf', 'anyOf', 'oneOf']) {
    if (key in schema) {
      moved[key] = schema[key];
      delete schema[key];
    }
  }
  if (Object.keys(moved).length > 0) schema.anyOf = [moved, { type: 'null' }];
}
