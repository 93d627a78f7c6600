/**
 * Removes request parameters an OpenAI-compatible host refuses, without touching the caller's objects: the
 * relayed body is the client's, and the router may send it to another provider after this one fails.
 */

/** A top-level key (`seed`), or `messages[].name` for a field of every message. */
export type ParamPath = string;

const EACH_MESSAGE = 'messages[].';

export interface StripResult {
  body: Record<string, unknown>;
  /** The paths that were present and removed, in the order asked. */
  stripped: ParamPath[];
}

export function stripParams(body: Record<string, unknown>, paths: readonly ParamPath[]): StripResult {
  let out = body;
  const stripped: ParamPath[] = [];
  for (const path of paths) {
    if (path.startsWith(EACH_MESSAGE)) {
      const field = path.slice(EACH_MESSAGE.length);
      const messages = out.messages;
      if (!Array.isArray(messages) || !messages.some((m) => hasField(m, field))) continue;
      out = { ...out, messages: messages.map((m) => (hasField(m, field) ? without(m, field) : m)) };
      stripped.push(path);
    } else if (out[path] !== undefined) {
      out = without(out, path);
      stripped.push(path);
    }
  }
  return { body: out, stripped };
}

/** The warning the gateway returns in `x-junction-warning` when parameters were stripped. */
export function strippedWarning(provider: string, stripped: readonly ParamPath[]): string {
  return `stripped unsupported parameter(s) for ${provider}: ${stripped.join(', ')}`;
}

function hasField(value: unknown, field: string): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && (value as Record<string, unknown>)[field] !== undefined
  );
}

function without(value: Record<string, unknown>, field: string): Record<string, unknown> {
  const { [field]: _removed, ...rest } = value;
  return rest;
}
