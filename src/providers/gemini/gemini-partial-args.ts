/**
 * Rebuilds function-call arguments streamed as `partialArgs` (Vertex `streamFunctionCallArguments`, also
 * seen from Gemini 3): each piece names a JSONPath (`$.recipe.steps[1]`) and a value; string values of one
 * path arrive in several pieces and are concatenated.
 */
import { z } from 'zod';

export const partialArgSchema = z.looseObject({
  jsonPath: z.string().optional().catch(undefined),
  stringValue: z.string().optional().catch(undefined),
  numberValue: z.number().optional().catch(undefined),
  boolValue: z.boolean().optional().catch(undefined),
  nullValue: z.unknown().optional(),
  willContinue: z.boolean().optional().catch(undefined),
});

export type PartialArg = z.infer<typeof partialArgSchema>;

type Container = Record<string, unknown> | unknown[];

export class PartialArgsBuilder {
  readonly value: Record<string, unknown> = {};

  apply(arg: PartialArg): void {
    if (arg.jsonPath === undefined) return;
    const path = parseJsonPath(arg.jsonPath);
    if (!path || path.length === 0) return;
    if (arg.stringValue !== undefined) {
      const current = this.get(path);
      this.set(path, typeof current === 'string' ? current + arg.stringValue : arg.stringValue);
    } else if (arg.numberValue !== undefined) this.set(path, arg.numberValue);
    else if (arg.boolValue !== undefined) this.set(path, arg.boolValue);
    else if ('nullValue' in arg) this.set(path, null);
  }

  private get(path: Array<string | number>): unknown {
    let current: unknown = this.value;
    for (const key of path) {
      if (typeof current !== 'object' || current === null) return undefined;
      current = (current as Record<string | number, unknown>)[key];
    }
    return current;
  }

  private set(path: Array<string | number>, value: unknown): void {
    let current: Container = this.value;
    path.forEach((key, i) => {
      const record = current as Record<string | number, unknown>;
      if (i === path.length - 1) {
        record[key] = value;
        return;
      }
      const nextKey = path[i + 1];
      let next = record[key];
      if (typeof next !== 'object' || next === null) {
        next = typeof nextKey === 'number' ? [] : {};
        record[key] = next;
      }
      current = next as Container;
    });
  }
}

/** `$.a.b[2].c` / `$['a b']` -> ['a', 'b', 2, 'c'] / ['a b']; undefined when it is not a simple path. */
export function parseJsonPath(path: string): Array<string | number> | undefined {
  if (!path.startsWith('$')) return undefined;
  const segments: Array<string | number> = [];
  const pattern = /\.([^.[\]]+)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]/y;
  pattern.lastIndex = 1;
  while (pattern.lastIndex < path.length) {
    const match = pattern.exec(path);
    if (!match) return undefined;
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push((match[3] ?? match[4] ?? '').replace(/\\(.)/g, '$1'));
  }
  return segments;
}
