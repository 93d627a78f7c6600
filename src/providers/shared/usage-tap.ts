/**
 * Reads usage from relayed bytes on the same-dialect fast path, without buffering the body: a stream
 * keeps only its current partial line, a JSON body only the usage object once it is seen. Each provider
 * family says where usage sits in a stream chunk and how to map it.
 */
import type { Usage } from '../../core/usage.js';

export interface UsageTap {
  push(chunk: Uint8Array): void;
  end(): void;
  /** The last usage reported so far. */
  usage(): Usage | undefined;
}

export interface UsageFormat {
  /** The raw usage object inside one parsed SSE data payload, if it has one. */
  fromChunk(chunk: Record<string, unknown>): unknown;
  /** Raw usage -> canonical usage; may fold successive reports (Anthropic sends two). */
  map(raw: unknown): Usage | undefined;
}

export function createUsageTap(isStream: boolean, format: UsageFormat): UsageTap {
  const decoder = new TextDecoder();
  const reader = isStream ? new SseUsageReader(format) : new JsonUsageReader(format);
  return {
    push(chunk) {
      reader.feed(decoder.decode(chunk, { stream: true }));
    },
    end() {
      reader.feed(decoder.decode());
      reader.end();
    },
    usage: () => reader.found,
  };
}

interface UsageReader {
  found: Usage | undefined;
  feed(text: string): void;
  end(): void;
}

/**
 * Whether a line has `"usage": {` somewhere. OpenAI chunks all say `"usage":null`, so this is checked
 * by scanning rather than by parsing every line (a regex replace per line showed up in profiles).
 */
function hasUsageObject(line: string): boolean {
  for (let at = line.indexOf('"usage"'); at !== -1; at = line.indexOf('"usage"', at + 7)) {
    let i = at + 7;
    while (line[i] === ' ') i++;
    if (line[i] !== ':') continue;
    i++;
    while (line[i] === ' ') i++;
    if (line[i] === '{') return true;
  }
  return false;
}

class SseUsageReader implements UsageReader {
  found: Usage | undefined;
  private partial = '';

  constructor(private readonly format: UsageFormat) {}

  feed(text: string): void {
    let start = 0;
    let newline = text.indexOf('\n');
    while (newline !== -1) {
      const piece = text.slice(start, newline);
      this.line(this.partial === '' ? piece : this.partial + piece);
      this.partial = '';
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    this.partial += text.slice(start);
  }

  end(): void {
    if (this.partial !== '') this.line(this.partial);
    this.partial = '';
  }

  private line(raw: string): void {
    if (!raw.startsWith('data:') || !hasUsageObject(raw)) return;
    let chunk: unknown;
    try {
      chunk = JSON.parse(raw.slice(5));
    } catch {
      return;
    }
    if (typeof chunk !== 'object' || chunk === null) return;
    const usage = this.format.map(this.format.fromChunk(chunk as Record<string, unknown>));
    if (usage) this.found = usage;
  }
}

const KEY = '"usage"';
/** A usage object is a few hundred bytes; anything far larger is not one and is not kept. */
const MAX_USAGE_CHARS = 64 * 1024;

/**
 * Finds `"usage": {...}` in a JSON body arriving in pieces. `"usage"` with its quotes cannot occur inside
 * a JSON string (quotes there are escaped), so a match is a key, or at worst an array value, which the
 * colon check rejects. The object is captured by brace matching and parsed alone.
 */
class JsonUsageReader implements UsageReader {
  found: Usage | undefined;

  constructor(private readonly format: UsageFormat) {}

  private phase: 'seek' | 'colon' | 'open' | 'value' = 'seek';
  /** In `seek`, the last few characters, in case the key is split across pieces. */
  private tail = '';
  private captured = '';
  private depth = 0;
  private inString = false;
  private escaped = false;

  feed(text: string): void {
    let i = 0;
    while (i < text.length) {
      switch (this.phase) {
        case 'seek': {
          // A key split across pieces is looked for in the seam only; the rest is searched in place,
          // without copying the (possibly large) body text.
          if (this.tail !== '') {
            const carried = this.tail.length;
            const seam = this.tail + text.slice(i, i + KEY.length - 1);
            const inSeam = seam.indexOf(KEY);
            if (inSeam !== -1) {
              // The match straddles the seam; it ends this far into `text`.
              i += inSeam + KEY.length - carried;
              this.tail = '';
              this.phase = 'colon';
              break;
            }
            // Too short to decide yet: keep the last few characters of the seam for the next piece.
            if (text.length - i < KEY.length - 1) {
              this.tail = seam.slice(-(KEY.length - 1));
              return;
            }
            this.tail = '';
          }
          const at = text.indexOf(KEY, i);
          if (at === -1) {
            this.tail = text.slice(Math.max(i, text.length - (KEY.length - 1)));
            return;
          }
          i = at + KEY.length;
          this.phase = 'colon';
          break;
        }
        case 'colon':
        case 'open': {
          const c = text[i]!;
          if (c === ' ' || c === '\n' || c === '\r' || c === '\t') i++;
          else if (this.phase === 'colon' && c === ':') {
            this.phase = 'open';
            i++;
          } else if (this.phase === 'open' && c === '{') {
            this.phase = 'value';
            this.captured = '';
            this.depth = 0;
            this.inString = false;
            this.escaped = false;
          } else this.phase = 'seek'; // `"usage": null`, or not a key at all
          break;
        }
        case 'value':
          i = this.scanValue(text, i);
          break;
      }
    }
  }

  end(): void {}

  /** Scans the usage object from `from`; returns where scanning stopped. */
  private scanValue(text: string, from: number): number {
    let j = from;
    let complete = false;
    for (; j < text.length; j++) {
      const c = text[j];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === '\\') this.escaped = true;
        else if (c === '"') this.inString = false;
      } else if (c === '"') this.inString = true;
      else if (c === '{') this.depth++;
      else if (c === '}' && --this.depth === 0) {
        j++;
        complete = true;
        break;
      }
    }
    this.captured += text.slice(from, j);
    if (complete) {
      this.parseCaptured();
      this.phase = 'seek';
    } else if (this.captured.length > MAX_USAGE_CHARS) {
      this.captured = '';
      this.phase = 'seek';
    }
    return j;
  }

  private parseCaptured(): void {
    try {
      const usage = this.format.map(JSON.parse(this.captured));
      if (usage) this.found = usage;
    } catch {
      // Not a usage object after all; keep looking.
    }
    this.captured = '';
  }
}
