/**
 * Ids in OpenAI's shapes (`resp_…`, `msg_…`, `rs_…`, `fc_…`, `conv_…`) so clients that look at prefixes
 * recognise them. Junction always mints its own response ids: they are the keys of its response store.
 */
import { randomBytes } from 'node:crypto';

export type IdPrefix = 'resp' | 'msg' | 'rs' | 'fc' | 'fco' | 'conv' | 'item';

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomBytes(24).toString('hex')}`;
}
