/**
 * Lenient reads of the parsed-but-unvalidated TOML, for the checks that must run even where the schema
 * already found a problem (an unset env var is worth reporting next to a typo in the same table).
 */
export type RawTable = Record<string, unknown>;

export function asTable(value: unknown): RawTable | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
    ? (value as RawTable)
    : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
