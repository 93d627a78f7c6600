/**
 * Built-in pattern sets for guardrails. Deliberately conservative: each aims at the common written
 * forms, and card numbers must also pass the Luhn check so order ids and timestamps are left alone.
 */
import type { BuiltinPatternName } from '../../config/types.js';

export interface PatternRule {
  /** Names the rule in errors, logs and [REDACTED:...] markers. */
  name: string;
  regex: RegExp;
  /** An extra check on a match (Luhn for cards). */
  accept?: (match: string) => boolean;
}

const SOURCES: Record<BuiltinPatternName, { source: string; accept?: (match: string) => boolean }> = {
  email: { source: String.raw`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}` },
  phone: {
    source: String.raw`(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?|\d{2,4}[\s.-])\d{3,4}[\s.-]?\d{3,4}(?![\w])`,
  },
  card: { source: String.raw`(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)`, accept: passesLuhn },
  api_key: {
    source: String.raw`\b(?:(?:sk|pk|rk)-[A-Za-z0-9_-]{16,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{35}|gh[pousr]_[A-Za-z0-9]{36,}|xox[abprs]-[A-Za-z0-9-]{10,})`,
  },
};

export function builtinRule(name: BuiltinPatternName): PatternRule {
  const { source, accept } = SOURCES[name];
  return { name: `builtin:${name}`, regex: new RegExp(source, 'g'), ...(accept ? { accept } : {}) };
}

export function passesLuhn(text: string): boolean {
  const digits = text.replace(/\D/g, '');
  if (digits.length < 13 || digits.length > 19) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}
