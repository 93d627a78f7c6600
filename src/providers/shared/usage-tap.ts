/**
 * Reads usage from relayed bytes on the same-dialect fast path, without buffering the body: a stream
 * keeps only its current partial line, a JSON body only the usage object once it is seen (or, when it
 * opens like an error object, itself). Each provider family says where usage sits in a stream chunk and
 * how to map it.
 *
 * The scan works on the bytes as they arrive: `"usage"` is found with Buffer#indexOf (native), and only
 * the line or object that carries a usage object is decoded and parsed. Decoding every relayed byte to a
 * string and splitting it into lines cost more than the rest of the relay (bench/profile-findings.md).
 * Scanning bytes is safe for UTF-8: every byte of a multi-byte character is >= 0x80, so it can never be
 * mistaken for a quote, brace, colon or newline.
 *
 * A stream format may also say what an in-band error event is (an OpenAI-wire server's
 * `data: {"error": {...}}` inside a 200 stream, a Responses `response.failed`) and which events carry
 * content: the same scan then finds `"error"` keys that open an object (a quote inside a JSON string is
 * escaped, so such a match is a key; for `typedErrors` also an `"error"` value, as in `"type": "error"`)
 * and parses only that line, and it parses each data line only until the first one with content, which
 * is what the router waits for before anything reaches the client.
 */
import { asBuffer } from '../../core/as-buffer.js';
import type { GatewayError } from '../../core/errors.js';
import type { Usage } from '../../core/usage.js';

/** An in-band error event found in a relayed stream. */
export interface InBandFailure {
  /** The failure the event stands for, classified like the HTTP error of that kind. */
  error: GatewayError;
  /**
   * Where the event begins in the chunk that completed it (its `event:` line, if it has one there): the
   * bytes before it are the stream's, the rest are not passed on. 0 when it began in an earlier chunk.
   */
  at: number;
}

export interface UsageTap {
  /** Reads a chunk; an in-band error event that the chunk completes is returned (formats that know one). */
  push(chunk: Uint8Array): InBandFailure | undefined;
  /** The body ended; a last line without a newline may still be an in-band error event. */
  end(): InBandFailure | undefined;
  /** The last usage reported so far. */
  usage(): Usage | undefined;
  /**
   * Whether an event with content has passed yet (always true unless the format tells, `isContent`); only
   * on streams read for in-band errors or content.
   */
  started?(): boolean;
}

export interface UsageFormat {
  /** The raw usage object inside one parsed SSE data payload, if it has one. */
  fromChunk(chunk: Record<string, unknown>): unknown;
  /** Raw usage -> canonical usage; may fold successive reports (Anthropic sends two). */
  map(raw: unknown): Usage | undefined;
  /**
   * The failure a data payload whose top-level `"error"` is an object stands for, or undefined when it is
   * not an error after all. `data` is the payload's text (kept, redacted, as the upstream body).
   */
  inBandError?(chunk: Record<string, unknown>, data: string): GatewayError | undefined;
  /**
   * Error events may also be told by `"type": "error"` alone, without an error object (the Responses
   * spec's ResponseErrorEvent): a data payload with an `"error"` string value is then asked about too.
   */
  typedErrors?: boolean;
  /** Whether a data payload carries content rather than only the stream's opening (role, usage). */
  isContent?(chunk: Record<string, unknown>): boolean;
}

export function createUsageTap(isStream: boolean, format: UsageFormat): UsageTap {
  if (!isStream) {
    const reader = new JsonUsageReader(format);
    return {
      push: (chunk) => {
        reader.feed(asBuffer(chunk));
        return undefined;
      },
      // A body that is an error object is known only once it is whole.
      end: () => reader.end(),
      usage: () => reader.found,
    };
  }
  const reader = new SseUsageReader(format);
  return {
    push: (chunk) => reader.feed(asBuffer(chunk)),
    end: () => reader.end(),
    usage: () => reader.found,
    // A stream read for in-band errors is relayed in whole lines (relay-response.ts), which `started` says.
    ...(format.isContent || format.inBandError ? { started: () => reader.started } : {}),
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

/**
 * Whether `key` (`"usage"`) at `at` is followed by `: {` on the same line (OpenAI chunks all say
 * `"usage":null`, which is skipped without decoding anything).
 */
function opensObject(text: string, at: number, key = KEY_TEXT): boolean {
  let i = at + key.length;
  while (text[i] === ' ' || text[i] === '\t') i++;
  if (text[i] !== ':') return false;
  i++;
  while (text[i] === ' ' || text[i] === '\t') i++;
  return text[i] === '{';
}

/** Whether the JSON string whose opening quote is at `at` is a value (after a colon), not a key. */
function isValue(text: string, at: number): boolean {
  let i = at - 1;
  while (text[i] === ' ' || text[i] === '\t') i--;
  return text[i] === ':';
}

/** `rror"`: the search for an `"error"` key starts past its frequent first byte, a quote (faster in V8). */
const ERROR_TAIL = 'rror"';

class SseUsageReader {
  found: Usage | undefined;
  /** Whether an event with content has passed (always true for formats that do not tell). */
  started: boolean;
  /** The current line's bytes so far, when a chunk ended inside it. */
  private partial: Buffer | undefined;

  constructor(private readonly format: UsageFormat) {
    this.started = format.isContent === undefined;
  }

  feed(bytes: Buffer): InBandFailure | undefined {
    let start = 0;
    if (this.partial) {
      const newline = bytes.indexOf(NEWLINE);
      if (newline === -1) {
        this.partial = Buffer.concat([this.partial, bytes]);
        return undefined;
      }
      const line = Buffer.concat([this.partial, bytes.subarray(0, newline)]);
      this.partial = undefined;
      // The line began in an earlier chunk: an error event in it begins before this one.
      if (this.scan(line, 0, line.length) !== undefined) return this.failure(0);
      start = newline + 1;
    }
    const lastNewline = bytes.lastIndexOf(NEWLINE);
    if (lastNewline >= start) {
      const at = this.scan(bytes, start, lastNewline);
      if (at !== undefined) return this.failure(at);
      start = lastNewline + 1;
    }
    // A partial line is copied: the chunk's memory may be a slice of a larger, reused buffer.
    if (start < bytes.length) this.partial = Buffer.from(bytes.subarray(start));
    return undefined;
  }

  end(): InBandFailure | undefined {
    const partial = this.partial;
    this.partial = undefined;
    if (partial && this.scan(partial, 0, partial.length) !== undefined) return this.failure(0);
    return undefined;
  }

  /** The error event the last scan found. */
  private error: GatewayError | undefined;

  private failure(at: number): InBandFailure {
    const error = this.error!;
    this.error = undefined;
    return { error, at };
  }

  /**
   * Scans whole lines in bytes[from, to): `to` is a newline or the end of the last line. The search runs
   * on a latin1 view of the bytes (one char per byte, so offsets match): V8's string search beats a native
   * Buffer#indexOf call per `"usage":null` of every chunk. Returns where an in-band error event begins
   * (its offset in `bytes`, the error in `this.error`), if one is in these lines.
   */
  private scan(bytes: Buffer, from: number, to: number): number | undefined {
    const view = bytes.toString('latin1', from, to);
    const errorLine = this.format.inBandError ? this.findError(bytes, from, view) : -1;
    if (!this.started) this.findContent(bytes, from, view, errorLine === -1 ? view.length : errorLine);
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
    return errorLine === -1 ? undefined : from + eventStart(view, errorLine);
  }

  private line(raw: string): void {
    const chunk = dataObject(raw);
    if (chunk === undefined) return;
    const usage = this.format.map(this.format.fromChunk(chunk));
    if (usage) this.found = usage;
  }

  /**
   * The start (in `view`) of the first data line whose top-level `"error"` is an object, with the error
   * in `this.error`; -1 when there is none. Only a line with an `"error": {` key (or, for `typedErrors`,
   * an `"error"` value) is decoded and parsed.
   */
  private findError(bytes: Buffer, from: number, view: string): number {
    for (
      let at = view.indexOf(ERROR_TAIL);
      at !== -1;
      at = view.indexOf(ERROR_TAIL, at + ERROR_TAIL.length)
    ) {
      if (at < 2 || view.charCodeAt(at - 1) !== 0x65 || view.charCodeAt(at - 2) !== QUOTE) continue;
      const candidate =
        opensObject(view, at - 2, ERROR_KEY_TEXT) ||
        (this.format.typedErrors === true && isValue(view, at - 2));
      if (!candidate) continue;
      const lineStart = view.lastIndexOf('\n', at) + 1;
      const newline = view.indexOf('\n', at);
      const lineEnd = newline === -1 ? view.length : newline;
      const raw = bytes.toString('utf8', from + lineStart, from + lineEnd);
      const chunk = dataObject(raw);
      const error = chunk ? this.format.inBandError!(chunk, dataOf(raw)) : undefined;
      if (error) {
        this.error = error;
        return lineStart;
      }
      if (newline === -1) return -1;
      at = newline;
    }
    return -1;
  }

  /** Parses data lines in view[0, until) until one carries content (the stream's opening is short). */
  private findContent(bytes: Buffer, from: number, view: string, until: number): void {
    const isContent = this.format.isContent!;
    let lineStart = 0;
    while (lineStart < until) {
      const newline = view.indexOf('\n', lineStart);
      const lineEnd = newline === -1 || newline > until ? until : newline;
      if (view.startsWith('data:', lineStart)) {
        const raw = bytes.toString('utf8', from + lineStart, from + lineEnd);
        const chunk = dataObject(raw);
        // `[DONE]`, or anything that is not a JSON object, is not held back either.
        if (chunk === undefined || isContent(chunk)) {
          this.started = true;
          return;
        }
      }
      lineStart = lineEnd + 1;
    }
  }
}

const ERROR_KEY_TEXT = '"error"';

/** The payload of a `data:` line (without the field name and surrounding blanks). */
function dataOf(raw: string): string {
  return raw.slice(5).trim();
}

/** A `data:` line's payload as a JSON object, or undefined. */
function dataObject(raw: string): Record<string, unknown> | undefined {
  return raw.startsWith('data:') ? jsonObject(raw.slice(5)) : undefined;
}

/** A JSON text as an object, or undefined (not JSON, or not an object). */
function jsonObject(text: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * Where the event of the line at `lineStart` begins: field lines right before it (`event: error`), back to
 * the blank line that ends the previous event, belong to it.
 */
function eventStart(view: string, lineStart: number): number {
  let start = lineStart;
  while (start > 0) {
    const previous = view.lastIndexOf('\n', start - 2) + 1;
    const line = view.slice(previous, start - 1);
    if (line === '' || line === '\r' || line.startsWith('data:')) break;
    start = previous;
  }
  return start;
}

/** An error object is small; a body that opens like one but runs past this is an answer after all. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;
const ERROR_KEY = Buffer.from(ERROR_KEY_TEXT);
const TYPE_KEY = Buffer.from('"type"');

/** Whether `bytes` hold `text` at `at`; undefined when they end before telling. */
function holdsAt(bytes: Buffer, at: number, text: Buffer): boolean | undefined {
  for (let k = 0; k < text.length; k++) {
    if (at + k >= bytes.length) return undefined;
    if (bytes[at + k] !== text[k]) return false;
  }
  return true;
}

function skipBlanks(bytes: Buffer, from: number): number {
  let i = from;
  while (i < bytes.length && isBlank(bytes[i])) i++;
  return i;
}

/**
 * Whether a JSON body opens like an error object: its first key is `"error"` (the OpenAI envelope), or
 * `"type"` with the value `"error"` (Anthropic's). Undefined while too few bytes are at hand to tell.
 */
function opensLikeError(bytes: Buffer): boolean | undefined {
  let i = skipBlanks(bytes, 0);
  if (i === bytes.length) return undefined;
  if (bytes[i] !== OPEN) return false;
  i = skipBlanks(bytes, i + 1);
  const error = holdsAt(bytes, i, ERROR_KEY);
  if (error !== false) return error;
  const type = holdsAt(bytes, i, TYPE_KEY);
  if (type !== true) return type;
  i = skipBlanks(bytes, i + TYPE_KEY.length);
  if (i === bytes.length) return undefined;
  if (bytes[i] !== COLON) return false;
  return holdsAt(bytes, skipBlanks(bytes, i + 1), ERROR_KEY);
}

/**
 * Finds `"usage": {...}` in a JSON body arriving in pieces. `"usage"` with its quotes cannot occur inside
 * a JSON string (quotes there are escaped), so a match is a key, or at worst an array value, which the
 * colon check rejects. The object is captured by brace matching and parsed alone. For a format that knows
 * in-band errors it also tells a body that is an error object (a 200 from a proxy), from its first bytes.
 */
class JsonUsageReader {
  found: Usage | undefined;

  constructor(private readonly format: UsageFormat) {
    this.errorCheck = format.inBandError ? 'undecided' : 'no';
  }

  /**
   * Whether the body may be an error object (formats that know one): undecided until its first key is at
   * hand; an answer (`{"id": ...`) is then no longer looked at, a body that opens like an error is kept
   * whole (up to MAX_ERROR_BODY_BYTES) and parsed at its end.
   */
  private errorCheck: 'undecided' | 'keep' | 'no';
  private kept: Buffer[] | undefined;
  private keptBytes = 0;

  private phase: 'seek' | 'colon' | 'open' | 'value' = 'seek';
  /** In `seek`, the last few bytes, in case the key is split across pieces. */
  private tail: Buffer | undefined;
  private captured: Buffer[] = [];
  private capturedBytes = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;

  feed(bytes: Buffer): void {
    if (this.errorCheck !== 'no') this.keepIfError(bytes);
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

  /** The failure the whole body stands for, when it is an error object. */
  end(): InBandFailure | undefined {
    const kept = this.kept;
    this.kept = undefined;
    if (this.errorCheck !== 'keep' || kept === undefined) return undefined;
    const text = Buffer.concat(kept, this.keptBytes).toString('utf8');
    const body = jsonObject(text);
    const error = body && this.format.inBandError?.(body, text);
    return error ? { error, at: 0 } : undefined;
  }

  private keepIfError(bytes: Buffer): void {
    if (this.errorCheck === 'undecided') {
      const opens = opensLikeError(this.kept ? Buffer.concat([...this.kept, bytes]) : bytes);
      if (opens === false) {
        this.errorCheck = 'no';
        this.kept = undefined;
        return;
      }
      if (opens) this.errorCheck = 'keep';
    }
    this.keptBytes += bytes.length;
    if (this.keptBytes > MAX_ERROR_BODY_BYTES) {
      this.errorCheck = 'no';
      this.kept = undefined;
      return;
    }
    // Copied: the piece's memory may be reused once this call returns.
    if (this.kept === undefined) this.kept = [];
    this.kept.push(Buffer.from(bytes));
  }

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
