import type { Db } from '../db/client.js';
import type { Clock } from './clock.js';
import type { Org } from './org/org.js';
import type { Stores } from './ports/index.js';

/** A Prisma transaction client. @deprecated going away with Core.db: use the stores. */
export type Tx = Omit<Db, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

/** What every use case needs: the stores, the organisation and the time. */
export interface Core {
  stores: Stores;
  org: Org;
  clock: Clock;
  /** @deprecated the whole Prisma client; being replaced by `stores` (src/core/ports) */
  db: Db;
  /** @deprecated the stores know their database */
  provider: 'sqlite' | 'postgresql';
}
