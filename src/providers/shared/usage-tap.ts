/**
 * Reads usage from relayed bytes on the same-dialect fast path, without buffering the body: a stream
 * keeps only its current partial line, a JSON body only the usage object once it is seen. Each provider
 * family says where usage sits in a stream chunk and how to map it.
 *
 * The scan works on the bytes as they arrive: `"usage"` is found with Buffer#indexOf (native), and only
 * the line or object that carries a usage object is decoded and parsed. Decoding every relayed byte to a
 * string and splitting it into lines cost more than the rest of the relay (bench/profile-findings.md).
 * Scanning bytes is safe for UTF-8: every byte of a multi-byte character is >= 0x80, so it can never be
 * mistaken for a quote, brace, colon or newline.
 */
import { asBuffer } from '../../core/as-buffer.js';
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
  const reader = isStream ? new SseUsageReader(format) : new JsonUsageReader(format);
  return {
    push: (chunk) => reader.feed(asBuffer(chunk)),
    end: () => reader.end(),
    usage: () => reader.found,
  };
}

const KEY_TEXT = '"usage"';
const KEY = Buffer.from(KEY_TEXT);
const NEWLINE = 0x0a;
const SPACE = 0x20;
const TAB = 0x09;
const CR = 0x0d;
const COLON = 0x3a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = 0x7b;
const CLOSE = 0x7d;
/** A usage object is a few hundred bytes; anything far larger is not one and is not kept. */
const MAX_USAGE_BYTES = 64 * 1024;

function isBlank(byte: number | undefined): boolean {
  return byte === SPACE || byte === TAB || byte === CR || byte === NEWLINE;
}

interface UsageReader {
  found: Usage | undefined;
  feed(bytes: Buffer): void;
  end(): void;
}

/**
 * Whether `"usage"` at `at` is followed by `: {` on the same line (OpenAI chunks all say `"usage":null`,
 * which is skipped without decoding anything).
 */
function opensObject(text: string, at: number): boolean {
  let i = at + KEY_TEXT.length;
  while (text[i] === ' ' || text[i] === '\t') i++;
  if (text[i] !== ':') return false;
  i++;
  while (text[i] === ' ' || text[i] === '\t') i++;
  return text[i] === '{';
}

class SseUsageReader implements UsageReader {
  found: Usage | undefined;
  /** The current line's bytes so far, when a chunk ended inside it. */
  private partial: Buffer | undefined;

  constructor(private readonly format: UsageFormat) {}

  feed(bytes: Buffer): void {
    let start = 0;
    if (this.partial) {
      const newline = bytes.indexOf(NEWLINE);
      if (newline === -1) {
        this.partial = Buffer.concat([this.partial, bytes]);
        return;
      }
      const line = Buffer.concat([this.partial, bytes.subarray(0, newline)]);
      this.partial = undefined;
      this.scan(line, 0, line.length);
      start = newline + 1;
    }
    const lastNewline = bytes.lastIndexOf(NEWLINE);
    if (lastNewline >= start) {
      this.scan(bytes, start, lastNewline);
      start = lastNewline + 1;
    }
    // A partial line is copied: the chunk's memory may be a slice of a larger, reused buffer.
    if (start < bytes.length) this.partial = Buffer.from(bytes.subarray(start));
  }

  end(): void {
    if (this.partial) this.scan(this.partial, 0, this.partial.length);
    this.partial = undefined;
  }

  /**
   * Scans whole lines in bytes[from, to): `to` is a newline or the end of the last line. The search runs
   * on a latin1 view of the bytes (one char per byte, so offsets match): V8's string search beats a native
   * Buffer#indexOf call per `"usage":null` of every chunk.
   */
  private scan(bytes: Buffer, from: number, to: number): void {
    const view = bytes.toString('latin1', from, to);
    let at = view.indexOf(KEY_TEXT);
    while (at !== -1) {
      if (!opensObject(view, at)) {
        at = view.indexOf(KEY_TEXT, at + KEY_TEXT.length);
        continue;
      }
      const lineStart = view.lastIndexOf('\n', at) + 1;
      const newline = view.indexOf('\n', at);
      const lineEnd = newline === -1 ? view.length : newline;
      // Only the line that carries usage is decoded as UTF-8.
      this.line(bytes.toString('utf8', from + lineStart, from + lineEnd));
      at = newline === -1 ? -1 : view.indexOf(KEY_TEXT, newline);
    }
  }

  private line(raw: string): void {
    if (!raw.startsWith('data:')) return;
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

/**
 * Finds `"usage": {...}` in a JSON body arriving in pieces. `"usage"` with its quotes cannot occur inside
 * a JSON string (quotes there are escaped), so a match is a key, or at worst an array value, which the
 * colon check rejects. The object is captured by brace matching and parsed alone.
 */
class JsonUsageReader implements UsageReader {
  found: Usage | undefined;

  constructor(private readonly format: UsageFormat) {}

  private phase: 'seek' | 'colon' | 'open' | 'value' = 'seek';
  /** In `seek`, the last few bytes, in case the key is split across pieces. */
  private tail: Buffer | undefined;
  private captured: Buffer[] = [];
  private capturedBytes = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;

  feed(bytes: Buffer): void {
    let i = 0;
    while (i < bytes.length) {
      switch (this.phase) {
        case 'seek': {
          // A key split across pieces is looked for in the seam only; the rest is searched in place.
          if (this.tail) {
            const carried = this.tail.length;
            const seam = Buffer.concat([this.tail, bytes.subarray(i, i + KEY.length - 1)]);
            this.tail = undefined;
            const inSeam = seam.indexOf(KEY);
            if (inSeam !== -1) {
              // The match straddles the seam; it ends this far into `bytes`.
              i += inSeam + KEY.length - carried;
              this.phase = 'colon';
              break;
            }
            // Too short to decide yet: keep the last few bytes of the seam for the next piece.
            if (bytes.length - i < KEY.length - 1) {
              this.tail = seam.subarray(-(KEY.length - 1));
              return;
            }
          }
          const at = bytes.indexOf(KEY, i);
          if (at === -1) {
            this.tail = Buffer.from(bytes.subarray(Math.max(i, bytes.length - (KEY.length - 1))));
            return;
          }
          i = at + KEY.length;
          this.phase = 'colon';
          break;
        }
        case 'colon':
        case 'open': {
          const c = bytes[i]!;
          if (isBlank(c)) i++;
          else if (this.phase === 'colon' && c === COLON) {
            this.phase = 'open';
            i++;
          } else if (this.phase === 'open' && c === OPEN) {
            this.phase = 'value';
            this.captured = [];
            this.capturedBytes = 0;
            this.depth = 0;
            this.inString = false;
            this.escaped = false;
          } else this.phase = 'seek'; // `"usage": null`, or not a key at all
          break;
        }
        case 'value':
          i = this.scanValue(bytes, i);
          break;
      }
    }
  }

  end(): void {}

  /** Scans the usage object from `from`; returns where scanning stopped. */
  private scanValue(bytes: Buffer, from: number): number {
    let j = from;
    let complete = false;
    for (; j < bytes.length; j++) {
      const c = bytes[j];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) this.inString = false;
      } else if (c === QUOTE) this.inString = true;
      else if (c === OPEN) this.depth++;
      else if (c === CLOSE && --this.depth === 0) {
        j++;
        complete = true;
        break;
      }
    }
    if (complete && this.captured.length === 0) {
      // The usual case: the whole object sits in one piece and is decoded in place.
      this.parse(bytes.toString('utf8', from, j));
      this.phase = 'seek';
      return j;
    }
    // Copied: the piece's memory may be reused once this call returns.
    this.captured.push(Buffer.from(bytes.subarray(from, j)));
    this.capturedBytes += j - from;
    if (complete) {
      this.parse(Buffer.concat(this.captured, this.capturedBytes).toString('utf8'));
      this.captured = [];
      this.phase = 'seek';
    } else if (this.capturedBytes > MAX_USAGE_BYTES) {
      this.captured = [];
      this.phase = 'seek';
    }
    return j;
  }

  private parse(text: string): void {
    try {
      const usage = this.format.map(JSON.parse(text));
      if (usage) this.found = usage;
    } catch {
      // Not a usage object after all; keep looking.
    }
  }
}
