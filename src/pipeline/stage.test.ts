import { describe, expect, it } from 'vitest';
import { GatewayError } from '../core/errors.js';
import type { RequestContext, Stage, StageEnd, StageRun } from './stage.js';
import { beginStages, endStages } from './stage.js';

const context = {} as RequestContext;

/** Stages that log what happens to them; `kind` says how each begins. */
function stagesOf(
  kinds: Array<'sync' | 'async' | 'none' | 'throw' | 'reject' | 'answer'>,
  log: string[],
): Stage[] {
  return kinds.map((kind, i) => {
    const run: StageRun = {
      end: (result: StageEnd) => {
        log.push(`end ${i} ${result.status}`);
      },
      ...(kind === 'answer' ? { answer: (async function* () {})() } : {}),
    };
    return {
      name: `s${i}`,
      begin: () => {
        log.push(`begin ${i}`);
        switch (kind) {
          case 'sync':
          case 'answer':
            return run;
          case 'async':
            return Promise.resolve(run);
          case 'none':
            return undefined;
          case 'throw':
            throw new GatewayError('rate_limit', 'limit');
          case 'reject':
            return Promise.reject(new GatewayError('rate_limit', 'limit'));
        }
      },
    };
  });
}

describe('beginStages', () => {
  it('answers synchronously while every stage does, and in order when one is a promise', async () => {
    const log: string[] = [];
    const runs = beginStages(stagesOf(['sync', 'none', 'sync'], log), context);
    expect(Array.isArray(runs)).toBe(true);
    expect(runs).toHaveLength(2);

    const later = beginStages(stagesOf(['sync', 'async', 'none', 'sync'], log), context);
    expect(later).toBeInstanceOf(Promise);
    expect(await later).toHaveLength(3);
    expect(log.slice(3)).toEqual(['begin 0', 'begin 1', 'begin 2', 'begin 3']);
  });

  it('stops at the first stage that answers', async () => {
    const log: string[] = [];
    expect(await beginStages(stagesOf(['async', 'answer', 'sync'], log), context)).toHaveLength(2);
    expect(log).toEqual(['begin 0', 'begin 1']);
  });

  it.each([
    ['a synchronous throw', ['sync', 'async', 'throw', 'sync'] as const],
    ['a rejection', ['sync', 'async', 'reject', 'sync'] as const],
    ['a throw before any promise', ['sync', 'sync', 'throw', 'sync'] as const],
  ])('on %s, ends the stages already begun in reverse order, then rejects', async (_, kinds) => {
    const log: string[] = [];
    await expect(
      Promise.resolve().then(() => beginStages(stagesOf([...kinds], log), context)),
    ).rejects.toThrow('limit');
    expect(log).toEqual(['begin 0', 'begin 1', 'begin 2', 'end 1 429', 'end 0 429']);
  });
});

describe('endStages', () => {
  it('ends every run in reverse order, synchronously unless an end is a promise, past a throwing one', async () => {
    const log: string[] = [];
    const runs: StageRun[] = [
      { end: () => void log.push('a') },
      {
        end: () => {
          throw new Error('broken stage');
        },
      },
      { end: () => void log.push('c') },
    ];
    expect(endStages(runs, { status: 200 })).toBeUndefined();
    expect(log).toEqual(['c', 'a']);

    const waited: StageRun[] = [
      { end: () => void log.push('first') },
      { end: () => Promise.reject(new Error('settle failed')) },
      { end: async () => void log.push('last') },
    ];
    const ended = endStages(waited, { status: 200 });
    expect(ended).toBeInstanceOf(Promise);
    await ended;
    expect(log.slice(2)).toEqual(['last', 'first']);
  });
});
