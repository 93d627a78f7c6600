/**
 * Turns zod issues into `<toml.path>: <message>` problem lines, in TOML's vocabulary (table, not object).
 * Values are never echoed: the offending value may be a secret.
 */
import type { z } from 'zod';
import { formatConfigPath } from './format-config-path.js';

type Issue = z.core.$ZodIssue;

export function describeConfigIssue(issue: Issue): string[] {
  const at = formatConfigPath(issue.path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => `${formatConfigPath([...issue.path, key])}: unknown key`);
    case 'invalid_type':
      if (issue.input === undefined) return [`${at}: required`];
      return [`${at}: expected ${describeExpected(issue.expected)}, got ${describeValue(issue.input)}`];
    case 'invalid_union': {
      if (issue.discriminator === undefined || !('options' in issue) || issue.options === undefined) {
        return [`${at}: ${issue.message}`];
      }
      const options = issue.options.map((option) => JSON.stringify(option)).join(', ');
      const given = isTable(issue.input) ? issue.input[issue.discriminator] : undefined;
      if (given === undefined) return [`${at}: required, one of ${options}`];
      const shown = typeof given === 'string' ? ` "${given}"` : '';
      return [`${at}: unknown ${issue.discriminator}${shown}; expected one of ${options}`];
    }
    case 'invalid_key':
      return [`${at}: ${issue.issues[0]?.message ?? 'invalid name'}`];
    default:
      return [`${at}: ${issue.message}`];
  }
}

function describeExpected(expected: string): string {
  switch (expected) {
    case 'object':
    case 'record':
      return 'a table';
    case 'array':
      return 'an array';
    case 'int':
      return 'an integer';
    case 'boolean':
      return 'true or false';
    default:
      return `a ${expected}`;
  }
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a date';
  if (isTable(value)) return 'a table';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a float';
  if (typeof value === 'boolean') return 'a boolean';
  return `a ${typeof value}`;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
