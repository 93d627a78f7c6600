/**
 * Rewrites a client's JSON Schema into the OpenAPI 3.0 subset Gemini's `Schema` accepts (function
 * `parameters` and `responseSchema`).
 *
 * Why this subset rather than `parametersJsonSchema` / `responseJsonSchema`: the JSON-Schema fields only
 * exist on newer models and API revisions, and what they do with keywords outside their supported list is
 * not documented, while the `Schema` subset is accepted by every Gemini model on both the Gemini API and
 * Vertex. The cost is expressiveness: $ref is inlined, recursion is cut, unions become anyOf, and
 * keywords Gemini rejects ("Unknown name ..." 400s) are dropped.
 */
type JsonObject = Record<string, unknown>;

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
}

/**
 * Cleans a tool's parameters schema. Returns undefined when the schema describes an object without
 * properties: Gemini rejects an OBJECT with empty `properties`, and a function without parameters is
 * declared by leaving `parameters` out.
 */
export function cleanGeminiSchema(schema: JsonObject): JsonObject | undefined {
  const cleaned = cleanNode(schema, { root: schema, expanding: new Set(), depth: 0 });
  return isEmptyObjectSchema(cleaned) ? undefined : cleaned;
}

/** Cleans any schema node (also used for `responseSchema`, where an empty object is still a schema). */
export function cleanGeminiSchemaNode(schema: JsonObject): JsonObject {
  return cleanNode(schema, { root: schema, expanding: new Set(), depth: 0 });
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
      // A recursive schema cannot be inlined; stop at the type so the declaration stays valid.
      const type = typeof target.type === 'string' ? target.type : 'object';
      return withDescription({ type }, siblings.description ?? target.description);
    }
    const expanding = new Set(ctx.expanding).add(ref);
    return cleanNode({ ...target, ...siblings }, { ...ctx, expanding, depth: ctx.depth + 1 });
  }

  if (Array.isArray(node.allOf)) node = mergeAllOf(node, ctx);

  const out: JsonObject = {};
  const child = { ...ctx, depth: ctx.depth + 1 };
  let nullable = node.nullable === true;

  // anyOf / oneOf: a `null` member becomes nullable; a single remaining member is inlined.
  const union = Array.isArray(node.anyOf) ? node.anyOf : Array.isArray(node.oneOf) ? node.oneOf : undefined;
  let variants: JsonObject[] | undefined;
  if (union) {
    variants = [];
    for (const member of union) {
      if (isObject(member) && member.type === 'null') nullable = true;
      else variants.push(cleanNode(member, child));
    }
  }

  let type = node.type;
  if (Array.isArray(type)) {
    const types = type.filter((t): t is string => typeof t === 'string');
    if (types.includes('null')) nullable = true;
    const nonNull = types.filter((t) => t !== 'null');
    if (nonNull.length > 1 && !variants) {
      variants = nonNull.map((t) => cleanNode({ ...node, type: t, description: undefined }, child));
      type = undefined;
    } else {
      type = nonNull[0];
    }
  }
  if (type === 'null') {
    nullable = true;
    type = undefined;
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

  if (isObject(node.properties)) {
    const properties: JsonObject = {};
    for (const [key, value] of Object.entries(node.properties)) properties[key] = cleanNode(value, child);
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

  if (isObject(node.items)) out.items = cleanNode(node.items, child);
  else if (Array.isArray(node.items) && isObject(node.items[0])) out.items = cleanNode(node.items[0], child);
  else if (Array.isArray(node.prefixItems) && isObject(node.prefixItems[0]) && outType === 'array') {
    out.items = cleanNode(node.prefixItems[0], child);
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

function isEmptyObjectSchema(schema: JsonObject): boolean {
  if (schema.anyOf !== undefined) return false;
  if (schema.type !== undefined && schema.type !== 'object') return false;
  return !isObject(schema.properties) || Object.keys(schema.properties).length === 0;
}

function withDescription(schema: JsonObject, description: unknown): JsonObject {
  return typeof description === 'string' ? { ...schema, description } : schema;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
