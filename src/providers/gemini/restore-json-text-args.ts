/**
 * Puts back the free-form objects clean-gemini-schema.ts sent to Gemini as JSON text: at each recorded
 * path of a call's arguments, a string that parses to a JSON object becomes that object, so the client
 * gets the shape its own schema declares. Anything else (a string that is not an object's JSON text, a
 * value the model put elsewhere) is left exactly as the model wrote it.
 */
import { ARRAY_ITEMS, type JsonTextPath } from './clean-gemini-schema.js';

/** Returns the arguments with the JSON text at `paths` parsed; `args` itself is not modified. */
export function restoreJsonTextArgs(
  args: Record<string, unknown>,
  paths: readonly JsonTextPath[],
): Record<string, unknown> {
  if (paths.length === 0) return args;
  const copy = structuredClone(args);
  for (const path of paths) restoreAt(copy, path, 0);
  return copy;
}

function restoreAt(holder: unknown, path: JsonTextPath, index: number): void {
  const segment = path[index];
  if (segment === undefined || typeof holder !== 'object' || holder === null) return;
  const last = index === path.length - 1;
  if (segment === ARRAY_ITEMS) {
    if (!Array.isArray(holder)) return;
    holder.forEach((item: unknown, i) => {
      if (last) holder[i] = parsedObject(item) ?? item;
      else restoreAt(item, path, index + 1);
    });
    return;
  }
  if (Array.isArray(holder) || !Object.hasOwn(holder, segment)) return;
  const record = holder as Record<string, unknown>;
  if (last) record[segment] = parsedObject(record[segment]) ?? record[segment];
  else restoreAt(record[segment], path, index + 1);
}

function parsedObject(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'string' || !value.trimStart().startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
