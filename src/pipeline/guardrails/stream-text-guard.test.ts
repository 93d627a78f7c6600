import { describe, expect, it } from 'vitest';
import { EMPTY_GUARDRAILS } from '../state/governance-state.js';
import { passesLuhn } from './builtin-patterns.js';
import { compileGuardrails, findViolation, redactText } from './compile-guardrails.js';
import { GuardrailViolation, StreamTextGuard } from './stream-text-guard.js';

const rules = (overrides: Partial<typeof EMPTY_GUARDRAILS>) =>
  compileGuardrails({ ...EMPTY_GUARDRAILS, ...overrides });

/** Feeds `chunks` through a guard; returns what was released, or the rule that stopped it. */
function run(guardRules: ReturnType<typeof rules>, chunks: string[]): { sent: string; rule?: string } {
  const guard = new StreamTextGuard(guardRules);
  let sent = '';
  try {
    for (const chunk of chunks) sent += guard.push(chunk);
    sent += guard.flush();
    return { sent };
  } catch (error) {
    if (error instanceof GuardrailViolation) return { sent, rule: error.rule };
    throw error;
  }
}

describe('StreamTextGuard', () => {
  const banned = rules({ bannedPhrases: ['secret sauce'] });

  it('catches a banned phrase split across chunks before any of it is sent', () => {
    const chunks = ['Our ', 'recipe uses the sec', 'ret', ' sa', 'uce and more'];
    const result = run(banned, chunks);
    expect(result.rule).toBe('banned_phrases[0]');
    expect(result.sent).not.toContain('sec');
  });

  it('catches it however the text is split, one character at a time included', () => {
    const text = `${'x'.repeat(50)} the Secret Sauce ${'y'.repeat(50)}`;
    for (let size = 1; size <= 20; size++) {
      const chunks = text.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g')) ?? [];
      const result = run(banned, chunks);
      expect(result.rule, `chunk size ${size}`).toBe('banned_phrases[0]');
      expect(result.sent.toLowerCase()).not.toContain('secret');
    }
  });

  it('passes clean text through unchanged and complete', () => {
    const chunks = ['A long ', 'answer ', 'with no problem in it. '.repeat(20)];
    expect(run(banned, chunks)).toEqual({ sent: chunks.join('') });
  });

  it('redacts an e-mail split across chunks, never sending half of it', () => {
    const email = rules({ builtinRedact: ['email'], streamWindow: 64 });
    const guard = new StreamTextGuard(email);
    const released: string[] = [];
    for (const chunk of ['Write to ', 'alice.smith@exa', 'mple.org', ' today. ', 'z'.repeat(100)]) {
      released.push(guard.push(chunk));
    }
    released.push(guard.flush());
    expect(released.join('')).toBe(`Write to [REDACTED:email] today. ${'z'.repeat(100)}`);
    for (const piece of released) expect(piece).not.toMatch(/alice|exa|mple/);
  });

  it('denies built-in patterns: a Luhn-valid card number, an API key', () => {
    const deny = rules({ builtinDeny: ['card', 'api_key'] });
    expect(findViolation(deny, 'card 4111 1111 1111 1111 ok')).toBe('builtin:card');
    expect(findViolation(deny, 'order 4111 1111 1111 1112')).toBeUndefined();
    expect(findViolation(deny, 'key sk-proj-abcdefghijklmnop1234')).toBe('builtin:api_key');
    expect(passesLuhn('4242424242424242')).toBe(true);
  });

  it('redacts phone numbers and custom patterns in whole text', () => {
    const redact = rules({ builtinRedact: ['phone'], redactPatterns: ['ticket-\\d+'] });
    expect(redactText(redact, 'Call +1 415-555-0100 or (415) 555-0199 about ticket-42.')).toBe(
      'Call [REDACTED:phone] or [REDACTED:phone] about [REDACTED:redact_patterns[0]].',
    );
  });
});
