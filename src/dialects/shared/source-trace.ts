/**
 * Where each canonical message and part came from in the client's request (`messages[2].content[1]`,
 * `system`, `input[3]`), keyed by the canonical object. Only a second decode after a failure records one
 * (locate-canonical-param.ts): the request path passes none, so decoding does no extra work.
 */
export type SourceTrace = Map<object, string>;

/** Records `path` for every item `list` gained from index `from` on. */
export function traceFrom(trace: SourceTrace, list: readonly object[], from: number, path: string): void {
  for (let i = from; i < list.length; i++) trace.set(list[i]!, path);
}

/** Parts made one for one from a client field that holds a string or a list: `path`, or `path[k]`. */
export function traceList(trace: SourceTrace, parts: readonly object[], field: unknown, path: string): void {
  for (const [k, part] of parts.entries()) trace.set(part, Array.isArray(field) ? `${path}[${k}]` : path);
}
