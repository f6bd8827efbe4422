import type { Db } from '../db/client.js';
import type { Clock } from './clock.js';
import type { Org } from './org/org.js';

/** A Prisma transaction client: what use cases write through inside $transaction. */
export type Tx = Omit<Db, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

/** What every use case needs: the database, the organisation and the time. */
export interface Core {
  db: Db;
  org: Org;
  clock: Clock;
  provider: 'sqlite' | 'postgresql';
}
