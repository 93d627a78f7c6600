/** A key as the admin API shows it (snake_case, like the config), never with its hash or secret. */
import type { KeyRecord } from '../pipeline/state/key-record.js';

export function keyView(record: KeyRecord): Record<string, unknown> {
  return {
    name: record.name,
    source: record.source,
    created_at: record.createdAt > 0 ? new Date(record.createdAt).toISOString() : null,
    revoked: record.revoked === true,
    models: record.models ?? null,
    rpm: record.rpm ?? null,
    tpm: record.tpm ?? null,
    max_concurrent: record.maxConcurrent ?? null,
    budget: record.budget ?? null,
    metadata: record.metadata ?? null,
    system_prompt: record.systemPrompt ?? null,
    rotated_at: record.rotatedAt === undefined ? null : new Date(record.rotatedAt).toISOString(),
    previous_secret_expires_at: previousSecretExpiry(record, Date.now()),
  };
}

/** When the last replaced secret still in its grace period stops working; null when none is. */
function previousSecretExpiry(record: KeyRecord, now: number): string | null {
  const ends = (record.previous ?? []).map((previous) => previous.expiresAt).filter((end) => end > now);
  return ends.length === 0 ? null : new Date(Math.max(...ends)).toISOString();
}
