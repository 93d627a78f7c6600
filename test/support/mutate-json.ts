/**
 * Seeded mutations of recorded JSON, for robustness tests: real request bodies with a few parts deleted,
 * retyped, moved or padded, the way a buggy or hostile client gets things wrong. The same seed gives the
 * same mutants, so a failure names a reproducible input.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** mulberry32: a tiny deterministic PRNG; Math.random cannot be seeded. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Slot = { parent: Json[] | { [key: string]: Json }; key: string | number };

/** Values of every JSON type, including the edges decoders trip on. */
const ODD_VALUES: Json[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  2 ** 53 + 1,
  -1e300,
  '',
  ' ',
  'x'.repeat(5_000),
  '\u0000\ud83d',
  '{"nested":"json in a string"}',
  [],
  [null],
  [[]],
  {},
  { type: null },
  { type: 'unknown_kind' },
  { type: 'text' },
  { type: 'image_url', image_url: {} },
  { role: 'tool' },
];

function slots(value: Json, out: Slot[] = []): Slot[] {
  if (Array.isArray(value)) {
    value.forEach((child, index) => {
      out.push({ parent: value, key: index });
      slots(child, out);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      out.push({ parent: value, key });
      slots(value[key]!, out);
    }
  }
  return out;
}

function read(slot: Slot): Json {
  return (slot.parent as Record<string | number, Json>)[slot.key]!;
}

function write(slot: Slot, value: Json): void {
  (slot.parent as Record<string | number, Json>)[slot.key] = value;
}

/** `body` with 1–3 mutations; `body` itself is not changed. */
export function mutate(body: Json, random: () => number): Json {
  const copy = structuredClone(body);
  // Mostly one change: a body with one thing wrong often still validates and reaches the translators.
  const roll = random();
  const count = roll < 0.6 ? 1 : roll < 0.9 ? 2 : 3;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  for (let i = 0; i < count; i++) {
    const all = slots(copy);
    if (all.length === 0) break;
    const slot = pick(all);
    switch (Math.floor(random() * 6)) {
      case 0: // delete the field or element
        if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 1);
        else delete slot.parent[slot.key as string];
        break;
      case 1: // a value of another type
        write(slot, structuredClone(pick(ODD_VALUES)));
        break;
      case 2: // a value from elsewhere in the same body (a real shape in the wrong place)
        write(slot, structuredClone(read(pick(all))));
        break;
      case 3: // an unknown field beside real ones
        if (!Array.isArray(slot.parent)) slot.parent[`unknown_${i}`] = structuredClone(pick(ODD_VALUES));
        else slot.parent.push(structuredClone(read(pick(all))));
        break;
      case 4: // wrapped one level deeper
        write(slot, random() < 0.5 ? [read(slot)] : { value: read(slot) });
        break;
      default: {
        // a number off by sign or size, a string emptied or stuffed
        const value = read(slot);
        if (typeof value === 'number') write(slot, pick([-value, value * 1e9, Number.MAX_SAFE_INTEGER, 0.5]));
        else if (typeof value === 'string') write(slot, pick(['', value.repeat(3), `${value}\u0000`]));
        else write(slot, structuredClone(pick(ODD_VALUES)));
      }
    }
  }
  return copy;
}
