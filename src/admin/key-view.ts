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
  };
}
