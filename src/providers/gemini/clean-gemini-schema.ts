/**
 * Rewrites a client's JSON Schema into the OpenAPI 3.0 subset Gemini's `Schema` accepts (function
 * `parameters` and `responseSchema`).
 *
 * Why this subset rather than `parametersJsonSchema` / `responseJsonSchema`: the JSON-Schema fields only
 * exist on newer models and API revisions, and what they do with keywords outside their supported list is
 * not documented, while the `Schema` subset is accepted by every Gemini model on both the Gemini API and
 * Vertex. The cost is expressiveness: $ref is inlined, recursion is cut, unions become anyOf, and
 * keywords Gemini rejects ("Unknown name ..." 400s) are dropped.
 *
 * Object nodes. Gemini takes `properties` only on an OBJECT ("properties: only allowed for OBJECT
 * type"), so a node with properties and no type is typed object. It also refuses an OBJECT without
 * properties below the top ("properties: should be non-empty for OBJECT type"; absent and empty are the
 * same to its proto), and a node with no type at all ("type: must be specified"). A free-form object (no
 * properties: `{type: "object"}`, a map such as zod's `z.record` with `additionalProperties`, a
 * recursive $ref cut short) therefore has no faithful form in this subset. It is sent as a STRING that
 * asks for the object as JSON text, and its path is reported (`jsonText`): for tool arguments the
 * gateway parses such strings back into objects before the client sees the call
 * (restore-json-text-args.ts), so the client gets the shape its schema declares. This is the least lossy
 * valid form: the model can still pass any object, where dropping the property would leave it no way to.
 * (A top-level object without properties is handled by the callers: a function without parameters, or
 * JSON output without a schema.)
 */
type JsonObject = Record<string, unknown>;

/** The segment of a JsonTextPath that stands for every item of an array. */
export const ARRAY_ITEMS: unique symbol = Symbol('array items');

/**
 * Where a free-form object was replaced by JSON text: property names from the top, ARRAY_ITEMS for the
 * items of an array. anyOf members share their node's path.
 */
export type JsonTextPath = ReadonlyArray<string | typeof ARRAY_ITEMS>;

const JSON_TEXT_NOTE = 'A JSON object, written as JSON text.';

/** The `format` values Gemini accepts, per type; anything else is a 400. */
const ALLOWED_FORMATS: Record<string, ReadonlySet<string>> = {
  string: new Set(['enum', 'date-time']),
  number: new Set(['float', 'double']),
  integer: new Set(['int32', 'int64']),
};

/** Plain keywords copied as they are (after the value type is checked). */
const NUMERIC_KEYWORDS = [
  'minItems',
  'maxItems',
  'minimum',
  'maximum',
  'minProperties',
  'maxProperties',
] as const;

const MAX_DEPTH = 32;

interface Context {
  root: JsonObject;
  /** $refs being expanded on the current path, to cut recursive schemas. */
  expanding: Set<string>;
  depth: number;
  /** The node is the schema's top (an object without properties is the caller's to handle there). */
  top: boolean;
  /** Property names from the top to this node; ARRAY_ITEMS for array items. */
  path: JsonTextPath;
  /** Collects the paths of free-form objects sent as JSON text. */
  jsonText: JsonTextPath[];
}

function startContext(schema: JsonObject, jsonText: JsonTextPath[]): Context {
  return { root: schema, expanding: new Set(), depth: 0, top: true, path: [], jsonText };
}

/**
 * Cleans a tool's parameters schema. Returns undefined when the schema describes an object without
 * properties: Gemini rejects an OBJECT with empty `properties`, and a function without parameters is
 * declared by leaving `parameters` out. The paths of nested free-form objects sent as JSON text are
 * added to `jsonText`.
 */
export function cleanGeminiSchema(schema: JsonObject, jsonText: JsonTextPath[] = []): JsonObject | undefined {
  const cleaned = cleanNode(schema, startContext(schema, jsonText));
  return isEmptyObjectSchema(cleaned) ? undefined : cleaned;
}

/**
 * Cleans any schema node (also used for `responseSchema`). A top-level object without properties is
 * returned as `{type: "object"}`; see isEmptyObjectSchema. The paths of nested free-form objects sent as
 * JSON text are added to `jsonText`.
 */
export function cleanGeminiSchemaNode(schema: JsonObject, jsonText: JsonTextPath[] = []): JsonObject {
  return cleanNode(schema, startContext(schema, jsonText));
}

function cleanNode(input: unknown, ctx: Context): JsonObject {
  if (!isObject(input) || ctx.depth > MAX_DEPTH) return {};
  let node = input;

  if (typeof node.$ref === 'string') {
    const ref = node.$ref;
    const target = resolveRef(ctx.root, ref);
    const { $ref: _ignored, ...siblings } = node;
    if (!target) return cleanNode(siblings, ctx);
    if (ctx.expanding.has(ref)) {
      // A recursive schema cannot be inlined; stop at the type so the declaration stays valid (an object
      // cut here has no properties left, so it goes as JSON text).
      const type = typeof target.type === 'string' ? target.type : 'object';
      const description = siblings.description ?? target.description;
      return type === 'object'
        ? jsonTextNode(description, false, ctx)
        : withDescription({ type }, description);
    }
    const expanding = new Set(ctx.expanding).add(ref);
    return cleanNode({ ...target, ...siblings }, { ...ctx, expanding, depth: ctx.depth + 1 });
  }

  if (Array.isArray(node.allOf)) node = mergeAllOf(node, ctx);

  const out: JsonObject = {};
  // A union member or a type of a type list is a variant of this node: same path, not the top.
  const variant: Context = { ...ctx, depth: ctx.depth + 1, top: false };
  const child = (segment: JsonTextPath[number]): Context => ({ ...variant, path: [...ctx.path, segment] });
  let nullable = node.nullable === true;

  // anyOf / oneOf: a `null` member becomes nullable; a single remaining member is inlined.
  const union = Array.isArray(node.anyOf) ? node.anyOf : Array.isArray(node.oneOf) ? node.oneOf : undefined;
  let variants: JsonObject[] | undefined;
  if (union) {
    variants = [];
    for (const member of union) {
      if (isObject(member) && member.type === 'null') nullable = true;
      else variants.push(cleanNode(member, variant));
    }
  }

  let type = node.type;
  if (Array.isArray(type)) {
    const types = type.filter((t): t is string => typeof t === 'string');
    if (types.includes('null')) nullable = true;
    const nonNull = types.filter((t) => t !== 'null');
    if (nonNull.length > 1 && !variants) {
      variants = nonNull.map((t) => cleanNode({ ...node, type: t, description: undefined }, variant));
      type = undefined;
    } else {
      type = nonNull[0];
    }
  }
  if (type === 'null') {
    nullable = true;
    type = undefined;
  }
  // Properties (or additionalProperties) without a type describe an object.
  if (
    type === undefined &&
    !variants &&
    (isObject(node.properties) || node.additionalProperties !== undefined)
  ) {
    type = 'object';
  }
  if (type === 'object' && !variants && !ctx.top && !hasProperties(node)) {
    return jsonTextNode(node.description, nullable, ctx);
  }

  if (variants && variants.length === 1 && variants[0]) {
    Object.assign(out, variants[0]);
  } else if (variants && variants.length > 1) {
    out.anyOf = variants;
  }
  if (typeof type === 'string') out.type = type;
  if (typeof node.description === 'string') out.description = node.description;
  if (nullable) out.nullable = true;

  // Gemini's enum is string-only; `const` is a one-value enum.
  const enumValues = Array.isArray(node.enum)
    ? node.enum
    : node.const !== undefined
      ? [node.const]
      : undefined;
  if (enumValues) {
    if (enumValues.includes(null)) out.nullable = true;
    const values = enumValues.filter((v) => v !== null);
    if (values.length > 0 && values.every((v): v is string => typeof v === 'string')) {
      out.enum = values;
      out.type ??= 'string';
    }
  }

  const outType = typeof out.type === 'string' ? out.type : undefined;
  if (typeof node.format === 'string' && outType && ALLOWED_FORMATS[outType]?.has(node.format)) {
    out.format = node.format;
  }

  // Gemini takes properties only on an OBJECT.
  if (isObject(node.properties) && outType === 'object') {
    const properties: JsonObject = {};
    for (const [key, value] of Object.entries(node.properties))
      properties[key] = cleanNode(value, child(key));
    out.properties = properties;
    // Gemini rejects `required` names that are not declared properties.
    if (Array.isArray(node.required)) {
      const required = node.required.filter(
        (name): name is string => typeof name === 'string' && name in properties,
      );
      if (required.length > 0) out.required = required;
    }
    if (Array.isArray(node.propertyOrdering)) {
      const ordering = node.propertyOrdering.filter(
        (name): name is string => typeof name === 'string' && name in properties,
      );
      if (ordering.length > 0) out.propertyOrdering = ordering;
    }
  }

  const items = child(ARRAY_ITEMS);
  if (isObject(node.items)) out.items = cleanNode(node.items, items);
  else if (Array.isArray(node.items) && isObject(node.items[0])) out.items = cleanNode(node.items[0], items);
  else if (Array.isArray(node.prefixItems) && isObject(node.prefixItems[0]) && outType === 'array') {
    out.items = cleanNode(node.prefixItems[0], items);
  }

  for (const keyword of NUMERIC_KEYWORDS) {
    if (typeof node[keyword] === 'number') out[keyword] = node[keyword];
  }
  return out;
}

/** Resolves a local JSON pointer (`#`, `#/$defs/X`, `#/definitions/X`, ...). Remote refs are not followed. */
function resolveRef(root: JsonObject, ref: string): JsonObject | undefined {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let current: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return isObject(current) ? current : undefined;
}

/** allOf of object schemas is folded into one: properties merged, required unioned, first keyword wins. */
function mergeAllOf(node: JsonObject, ctx: Context): JsonObject {
  const { allOf, ...rest } = node;
  const merged: JsonObject = { ...rest };
  const properties: JsonObject = isObject(rest.properties) ? { ...rest.properties } : {};
  const required = new Set(Array.isArray(rest.required) ? rest.required : []);
  for (const raw of allOf as unknown[]) {
    let member = raw;
    if (isObject(member) && typeof member.$ref === 'string') member = resolveRef(ctx.root, member.$ref) ?? {};
    if (!isObject(member)) continue;
    if (isObject(member.properties)) Object.assign(properties, member.properties);
    if (Array.isArray(member.required)) for (const name of member.required) required.add(name);
    for (const [key, value] of Object.entries(member)) {
      if (key !== 'properties' && key !== 'required' && merged[key] === undefined) merged[key] = value;
    }
  }
  if (Object.keys(properties).length > 0) merged.properties = properties;
  if (required.size > 0) merged.required = [...required];
  return merged;
}

/** An object schema without properties (or no schema at all): at the top, Gemini takes no OBJECT for it. */
export function isEmptyObjectSchema(schema: JsonObject): boolean {
  if (schema.anyOf !== undefined) return false;
  if (schema.type !== undefined && schema.type !== 'object') return false;
  return !isObject(schema.properties) || Object.keys(schema.properties).length === 0;
}

function hasProperties(node: JsonObject): boolean {
  return isObject(node.properties) && Object.keys(node.properties).length > 0;
}

/** A free-form object as Gemini can take it: a string holding the object as JSON text (see the top). */
function jsonTextNode(description: unknown, nullable: boolean, ctx: Context): JsonObject {
  ctx.jsonText.push(ctx.path);
  const out: JsonObject = {
    type: 'string',
    description:
      typeof description === 'string' && description.trim() !== ''
        ? `${description.trimEnd()}\n${JSON_TEXT_NOTE}`
        : JSON_TEXT_NOTE,
  };
  if (nullable) out.nullable = true;
  return out;
}

function withDescription(schema: JsonObject, description: unknown): JsonObject {
  return typeof description === 'string' ? { ...schema, description } : schema;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
