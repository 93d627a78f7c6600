/**
 * Rotates a provider's API keys round-robin. A key the upstream refused (401/403) or throttled (429)
 * cools down alone, for Retry-After when given, so the other keys keep serving.
 */
export interface KeyPoolOptions {
  /** Cooldown after a 429 without Retry-After. */
  rateLimitCooldownMs: number;
  /** Cooldown after a 401/403: long, since a revoked key rarely comes back by itself. */
  authCooldownMs: number;
}

export const DEFAULT_KEY_POOL: KeyPoolOptions = { rateLimitCooldownMs: 10_000, authCooldownMs: 300_000 };

export class KeyPool {
  private cursor = 0;
  private readonly coolingUntil: number[];

  constructor(
    private readonly keys: readonly string[],
    private readonly options: KeyPoolOptions = DEFAULT_KEY_POOL,
    private readonly now: () => number = Date.now,
  ) {
    this.coolingUntil = keys.map(() => 0);
  }

  get size(): number {
    return this.keys.length;
  }

  /** The next usable key; when every key is cooling, the one that recovers first. Undefined if none. */
  next(): string | undefined {
    if (this.keys.length === 0) return undefined;
    const now = this.now();
    for (let i = 0; i < this.keys.length; i++) {
      const index = (this.cursor + i) % this.keys.length;
      if (this.coolingUntil[index]! <= now) {
        this.cursor = (index + 1) % this.keys.length;
        return this.keys[index];
      }
    }
    let soonest = 0;
    for (let i = 1; i < this.keys.length; i++)
      if (this.coolingUntil[i]! < this.coolingUntil[soonest]!) soonest = i;
    return this.keys[soonest];
  }

  /** Marks a key after the upstream answered `status` with it. */
  report(key: string, status: number, retryAfterMs?: number): void {
    const index = this.keys.indexOf(key);
    if (index < 0) return;
    if (status === 429)
      this.coolingUntil[index] = this.now() + (retryAfterMs ?? this.options.rateLimitCooldownMs);
    else if (status === 401 || status === 403)
      this.coolingUntil[index] = this.now() + this.options.authCooldownMs;
  }

  /** How many keys are usable right now (for /admin/health). */
  available(): number {
    const now = this.now();
    return this.coolingUntil.filter((until) => until <= now).length;
  }
}
