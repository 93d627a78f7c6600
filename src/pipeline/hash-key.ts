/** Client keys are held only as sha256 hex; a presented key is hashed once and looked up. */
import { createHash } from 'node:crypto';

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
