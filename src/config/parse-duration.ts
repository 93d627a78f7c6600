/**
 * Durations in config are written the way operators write them ("60s", "500ms", "2m", "1h30m") or as a
 * plain number of milliseconds. Everything downstream works in whole milliseconds.
 */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

// One or more <number><unit> parts, e.g. "1h30m" or "1.5s"; "ms" must be tried before "m".
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;

const EXPECTED = 'expected a duration like "500ms", "60s", "2m", "1h" or a number of milliseconds';

/** Returns whole milliseconds (> 0) or throws an Error whose message is fit for a config problem line. */
export function parseDuration(value: string | number): number {
  if (typeof value === 'number') return positive(value);
  const text = value.trim();
  if (text === '') throw new Error(`empty duration; ${EXPECTED}`);
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const start = PART.lastIndex;
    const match = PART.exec(text);
    if (match === null || match.index !== start) throw new Error(`invalid duration "${value}"; ${EXPECTED}`);
    total += Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? Number.NaN);
  }
  return positive(total);
}

function positive(ms: number): number {
  const rounded = Math.round(ms);
  if (!Number.isFinite(rounded) || rounded <= 0) throw new Error(`must be a positive duration; ${EXPECTED}`);
  return rounded;
}
