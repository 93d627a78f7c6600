/**
 * RuntimeStore for a single node that survives a restart: SQLite tables in the state file
 * (`<data_dir>/state.db`) for keys (by `recordId`, names unique), rotated secrets (sha256 to the key's
 * id), overrides (by name), policy (by field) and a version that every write bumps in its own
 * transaction. Each change is committed before it returns, so an admin change that answered survives a
 * crash. Writes take the write lock first (BEGIN IMMEDIATE), so a read-change-write on one connection
 * never interleaves with another connection's, whichever process holds it.
 */
import type Database from 'libsql';
import { openStateDatabase, type StateDatabase } from '../../storage/sqlite/open-state-database.js';
import {
  type KeyOverride,
  type KeyRecord,
  type PolicyField,
  type PolicyOverrides,
  type RuntimeSnapshot,
  recordId,
  secretHashes,
} from './key-record.js';
import type { RuntimeStore } from './runtime-store.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS runtime_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
INSERT OR IGNORE INTO runtime_version (id, version) VALUES (1, 0);
CREATE TABLE IF NOT EXISTS runtime_keys (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runtime_secrets (sha256 TEXT PRIMARY KEY, id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS runtime_secrets_id ON runtime_secrets (id);
CREATE TABLE IF NOT EXISTS runtime_overrides (name TEXT PRIMARY KEY, override TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runtime_policy (field TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

interface JsonRow {
  json: string;
}

export class SqliteRuntimeStore implements RuntimeStore {
  /** One gateway process per state file: what this node loaded is all there is. */
  readonly shared = false;
  private readonly db: StateDatabase;
  /** Prepared once: every node polls the version once a second. */
  private readonly selectVersion: Database.Statement<[]>;

  constructor(path: string) {
    this.db = openStateDatabase(path);
    this.db.exec(SCHEMA);
    this.selectVersion = this.db.prepare<[]>('SELECT version FROM runtime_version WHERE id = 1');
  }

  async load(): Promise<RuntimeSnapshot> {
    // One read transaction: the version and the rows it counts, as of one moment.
    return this.db.transaction((): RuntimeSnapshot => {
      const policy: PolicyOverrides = {};
      for (const row of this.rows<{ field: string; json: string }>(
        'SELECT field, value AS json FROM runtime_policy',
      )) {
        (policy as Record<string, unknown>)[row.field] = JSON.parse(row.json);
      }
      return {
        version: this.currentVersion(),
        keys: this.rows<JsonRow>('SELECT record AS json FROM runtime_keys').map(
          (row) => JSON.parse(row.json) as KeyRecord,
        ),
        overrides: Object.fromEntries(
          this.rows<{ name: string; json: string }>(
            'SELECT name, override AS json FROM runtime_overrides',
          ).map((row) => [row.name, JSON.parse(row.json) as KeyOverride]),
        ),
        policy,
      };
    })();
  }

  async version(): Promise<number> {
    return this.currentVersion();
  }

  async createKey(record: KeyRecord): Promise<boolean> {
    return this.db
      .transaction((): boolean => {
        const id = recordId(record);
        const inserted = this.db
          .prepare('INSERT OR IGNORE INTO runtime_keys (id, name, record) VALUES (?, ?, ?)')
          .run(id, record.name, JSON.stringify(record));
        if (inserted.changes === 0) return false;
        this.indexSecrets(id, record);
        this.bump();
        return true;
      })
      .immediate();
  }

  async updateKey(id: string, change: (current: KeyRecord) => KeyRecord): Promise<KeyRecord | undefined> {
    // A `change` that throws rolls the transaction back: nothing is written.
    return this.db
      .transaction((): KeyRecord | undefined => {
        const row = this.db.prepare('SELECT record AS json FROM runtime_keys WHERE id = ?').get(id) as
          | JsonRow
          | undefined;
        if (!row) return undefined;
        const next = change(JSON.parse(row.json) as KeyRecord);
        this.db
          .prepare('UPDATE runtime_keys SET name = ?, record = ? WHERE id = ?')
          .run(next.name, JSON.stringify(next), id);
        this.db.prepare('DELETE FROM runtime_secrets WHERE id = ?').run(id);
        this.indexSecrets(id, next);
        this.bump();
        return next;
      })
      .immediate();
  }

  async findKeyByHash(sha256: string): Promise<KeyRecord | undefined> {
    const select = this.db.prepare('SELECT record AS json FROM runtime_keys WHERE id = ?');
    let row = select.get(sha256) as JsonRow | undefined;
    if (!row) {
      const indexed = this.db.prepare('SELECT id FROM runtime_secrets WHERE sha256 = ?').get(sha256) as
        | { id: string }
        | undefined;
      if (indexed) row = select.get(indexed.id) as JsonRow | undefined;
    }
    if (!row) return undefined;
    const found = JSON.parse(row.json) as KeyRecord;
    return secretHashes(found).includes(sha256) ? found : undefined;
  }

  async updateOverride(
    name: string,
    change: (current: KeyOverride | undefined) => KeyOverride,
  ): Promise<void> {
    this.db
      .transaction((): void => {
        const row = this.db
          .prepare('SELECT override AS json FROM runtime_overrides WHERE name = ?')
          .get(name) as JsonRow | undefined;
        const next = change(row ? (JSON.parse(row.json) as KeyOverride) : undefined);
        this.db
          .prepare(
            'INSERT INTO runtime_overrides (name, override) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET override = excluded.override',
          )
          .run(name, JSON.stringify(next));
        this.bump();
      })
      .immediate();
  }

  async setPolicy<F extends PolicyField>(field: F, value: PolicyOverrides[F] | undefined): Promise<void> {
    this.db
      .transaction((): void => {
        if (value === undefined) this.db.prepare('DELETE FROM runtime_policy WHERE field = ?').run(field);
        else
          this.db
            .prepare(
              'INSERT INTO runtime_policy (field, value) VALUES (?, ?) ON CONFLICT (field) DO UPDATE SET value = excluded.value',
            )
            .run(field, JSON.stringify(value));
        this.bump();
      })
      .immediate();
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private currentVersion(): number {
    const row = this.selectVersion.get() as { version: number } | undefined;
    return row?.version ?? 0;
  }

  private bump(): void {
    this.db.prepare('UPDATE runtime_version SET version = version + 1 WHERE id = 1').run();
  }

  /** Points every secret the key answers to, other than its id, at the key. */
  private indexSecrets(id: string, record: KeyRecord): void {
    const upsert = this.db.prepare('INSERT OR REPLACE INTO runtime_secrets (sha256, id) VALUES (?, ?)');
    for (const hash of secretHashes(record)) if (hash !== id) upsert.run(hash, id);
  }

  private rows<T>(sql: string): T[] {
    return this.db.prepare(sql).all() as T[];
  }
}
