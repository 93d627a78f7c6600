/**
 * The single node's state file, `<data_dir>/state.db`: runtime keys and policy
 * (pipeline/state/sqlite-runtime-store.ts) and budget spend snapshots (sqlite-spend-store.ts), each on
 * its own connection and creating its own tables. Calls are synchronous and made only for admin changes,
 * the once-a-second version poll and the spend snapshot: never on a request's path.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'libsql';

export const STATE_FILE = 'state.db';

export type StateDatabase = Database.Database;

/** Opens (creating the file and its directory if needed) one connection to the state file. */
export function openStateDatabase(path: string): StateDatabase {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  // WAL lets the version poll read while another connection writes. FULL makes an admin change that has
  // answered (a revocation, say) survive a power cut too, at one fsync per change: changes are rare.
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;');
  return db;
}
