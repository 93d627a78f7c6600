/**
 * Turns a zod failure into one clear client message naming the field: "messages[1].content: ...".
 */
import type { z } from 'zod';
import { GatewayError } from '../../core/errors.js';

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

export function zodToGatewayError(error: z.ZodError): GatewayError {
  const issue = deepestIssue(error.issues);
  const path = formatPath(issue.path);
  const message = path === '' ? issue.message : `${path}: ${issue.message}`;
  return new GatewayError('invalid_request', `Invalid request body: ${message}`, {
    param: path || undefined,
  });
}

/** For union failures zod reports one issue per branch; the most specific (longest path) is the useful one. */
function deepestIssue(issues: z.core.$ZodIssue[]): z.core.$ZodIssue {
  let best = issues[0]!;
  const visit = (issue: z.core.$ZodIssue, prefix: PropertyKey[]): void => {
    const full = { ...issue, path: [...prefix, ...issue.path] } as z.core.$ZodIssue;
    if (full.path.length > best.path.length) best = full;
    if (issue.code === 'invalid_union') {
      for (const branch of issue.errors) for (const inner of branch) visit(inner, full.path);
    }
  };
  for (const issue of issues) visit(issue, []);
  return best;
}
