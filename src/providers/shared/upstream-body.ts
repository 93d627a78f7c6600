/**
 * The body of an accepted upstream answer, fed straight from undici's dispatch callbacks.
 *
 * undici's `request()` wraps every answer in a BodyReadable (a Node stream) that the gateway then reads
 * through the stream's async iterator: a stream object, its state machine, several `nextTick`s and a promise
 * per chunk. A bare proxy built on `dispatch` spent 32 % less CPU per request than the same proxy on
 * `request()` (bench/profile-findings.md). Here the chunks land in a queue, and a reader takes what is
 * queued synchronously (`nextSync`), waiting only when the network has not delivered yet. Back-pressure
 * is kept: past HIGH_WATER queued bytes the connection is paused until the reader catches up.
 */
import type { Dispatcher } from 'undici';
import { errors as undiciErrors } from 'undici';
import type { ReadyIterator } from '../../core/ready-iterator.js';
import { readyOrWait } from '../../core/ready-iterator.js';

/** What readers of an upstream body rely on. */
export interface UpstreamBody extends AsyncIterable<Uint8Array> {
  /** Nothing more will come: read to the end, broken or destroyed. */
  readonly ended: boolean;
  /** The rest of the body as UTF-8 text. */
  text(): Promise<string>;
  json(): Promise<unknown>;
  /** Stops reading; a half-read answer closes its connection so the pool never reuses it mid-message. */
  destroy(): void;
}

/** Queued bytes past which the connection is paused, as a Node stream's default high-water mark. */
const HIGH_WATER = 65_536;

const DONE: IteratorResult<Uint8Array> = { done: true, value: undefined };

/**
 * The body side of one dispatched request. The dispatch handler (upstream-http.ts) pushes into it; a
 * reader iterates it once.
 */
export class DispatchedBody implements UpstreamBody, ReadyIterator<Uint8Array> {
  private readonly queue: Buffer[] = [];
  private head = 0;
  private queued = 0;
  private finished = false;
  /** A break not yet thrown to the reader (boxed: any value can be thrown). */
  private failure: { error: unknown } | undefined;
  private waiting:
    | { resolve: (next: IteratorResult<Uint8Array>) => void; reject: (error: unknown) => void }
    | undefined;
  private closeListener: (() => void) | undefined;

  constructor(
    /** The dispatch's controller, to pause, resume and abort the connection's reading. */
    private readonly controller: () => Dispatcher.DispatchController | undefined,
    /** Aborts the dispatch (before or after undici handed out its controller). */
    private readonly abort: (reason: Error) => void,
  ) {}

  get ended(): boolean {
    return this.finished;
  }

  /** Called once when the body ends, breaks or is destroyed (the attempt's timer is cleared then). */
  onClose(listener: () => void): void {
    if (this.finished) listener();
    else this.closeListener = listener;
  }

  // Writer side (the dispatch handler).

  push(chunk: Buffer): void {
    if (this.finished) return;
    const waiting = this.takeWaiting();
    if (waiting) {
      waiting.resolve({ done: false, value: chunk });
      return;
    }
    this.queue.push(chunk);
    this.queued += chunk.length;
    if (this.queued > HIGH_WATER) this.controller()?.pause();
  }

  end(): void {
    if (this.finished) return;
    this.close();
    this.takeWaiting()?.resolve(DONE);
  }

  fail(error: unknown): void {
    if (this.finished) return;
    this.close();
    const waiting = this.takeWaiting();
    if (waiting) waiting.reject(error);
    else this.failure = { error };
  }

  // Reader side.

  nextSync(): IteratorResult<Uint8Array> | undefined {
    if (this.head < this.queue.length) return { done: false, value: this.take() };
    const failure = this.failure;
    if (failure) {
      // Thrown once, like a stream's error; afterwards the body is simply done.
      this.failure = undefined;
      throw failure.error;
    }
    return this.finished ? DONE : undefined;
  }

  next(): Promise<IteratorResult<Uint8Array>> {
    return readyOrWait(
      () => this.nextSync(),
      () =>
        new Promise((resolve, reject) => {
          this.waiting = { resolve, reject };
        }),
    );
  }

  async return(): Promise<IteratorResult<Uint8Array>> {
    this.destroy();
    return DONE;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  destroy(): void {
    this.queue.length = 0;
    this.head = 0;
    this.queued = 0;
    this.failure = undefined;
    if (this.finished) return;
    this.close();
    this.abort(new undiciErrors.RequestAbortedError());
    this.takeWaiting()?.resolve(DONE);
  }

  async text(): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of this) chunks.push(chunk as Buffer);
    return (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  /** The reader waiting for the next result, if any, no longer waiting once taken. */
  private takeWaiting(): typeof this.waiting {
    const waiting = this.waiting;
    this.waiting = undefined;
    return waiting;
  }

  private take(): Buffer {
    const chunk = this.queue[this.head]!;
    this.queue[this.head] = undefined as unknown as Buffer;
    this.head += 1;
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    }
    const before = this.queued;
    this.queued -= chunk.length;
    if (before > HIGH_WATER && this.queued <= HIGH_WATER) this.controller()?.resume();
    return chunk;
  }

  private close(): void {
    this.finished = true;
    const listener = this.closeListener;
    this.closeListener = undefined;
    listener?.();
  }
}
