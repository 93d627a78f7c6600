/**
 * Runs a Lua script by SHA (EVALSHA) and falls back to EVAL when the server does not have it cached
 * (first use, after a restart or SCRIPT FLUSH); EVAL caches it again for the next call.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface LuaScript {
  source: string;
  sha: string;
  keys: number;
}

export function luaScript(source: string, keys: number): LuaScript {
  return { source, keys, sha: createHash('sha1').update(source).digest('hex') };
}

export async function runScript(
  redis: Redis,
  script: LuaScript,
  keys: readonly string[],
  args: ReadonlyArray<string | number>,
): Promise<unknown> {
  try {
    return await redis.evalsha(script.sha, script.keys, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return redis.eval(script.source, script.keys, ...keys, ...args);
  }
}

/** Reads an array reply of integers, failing loudly if the script returned something else. */
export function integerReply(reply: unknown, length: number): number[] {
  if (!Array.isArray(reply) || reply.length !== length || !reply.every((item) => typeof item === 'number')) {
    throw new Error(`Unexpected Redis script reply: ${JSON.stringify(reply)}`);
  }
  return reply as number[];
}
