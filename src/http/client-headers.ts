/** Client request headers as the providers' CallContext takes them: one string per (lower-case) name. */
import type { IncomingHttpHeaders } from 'node:http';

export function lowerCaseHeaders(headers: IncomingHttpHeaders): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers))
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}
