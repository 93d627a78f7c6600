/**
 * Budget spend snapshots in the state file (`<data_dir>/state.db`): one row per budget counter (its key
 * names the budget and its period) with the settled spend in micro-USD and when the counter expires
 * (NULL: a `total` budget, never). Spend is written as what was added since the last write, so two
 * processes briefly sharing the file (an overlapping restart) add up instead of overwriting each other.
 */
import type { SpendChange, SpendFile, SpendRow } from '../spend-snapshots.js';
import { openStateDatabase, type StateDatabase } from './open-state-database.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS budget_spend (key TEXT PRIMARY KEY, used INTEGER NOT NULL, expires_at INTEGER);
`;

interface Row {
  key: string;
  used: number;
  expires_at: number | null;
}

export class SqliteSpendStore implements SpendFile {
  private readonly db: StateDatabase;

  constructor(path: string) {
    this.db = openStateDatabase(path);
    this.db.exec(SCHEMA);
  }

  load(now: number): SpendRow[] {
    const rows = this.db
      .prepare('SELECT key, used, expires_at FROM budget_spend WHERE expires_at IS NULL OR expires_at > ?')
      .all(now) as Row[];
    return rows.map((row) => ({
      key: row.key,
      used: row.used,
      expiresAt: row.expires_at ?? Number.POSITIVE_INFINITY,
    }));
  }

  write(changes: readonly SpendChange[], now: number): void {
    const add = this.db.prepare(
      `INSERT INTO budget_spend (key, used, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET used = used + excluded.used, expires_at = excluded.expires_at`,
    );
    const replace = this.db.prepare(
      `INSERT INTO budget_spend (key, used, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET used = excluded.used, expires_at = excluded.expires_at`,
    );
    this.db
      .transaction(() => {
        for (const change of changes) {
          const expiresAt = Number.isFinite(change.expiresAt) ? change.expiresAt : null;
          (change.replace ? replace : add).run(change.key, change.amount, expiresAt);
        }
        this.db.prepare('DELETE FROM budget_spend WHERE expires_at <= ?').run(now);
      })
      .immediate();
  }

  close(): void {
    this.db.close();
  }
}
