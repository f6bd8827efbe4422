import type { HousekeepingStore } from '../../core/ports/housekeeping-store.js';
import type { Db } from '../client.js';
import type { Runner } from '../runner.js';

/** Deleting old receipts and delivered messages in chunks. */
export class SqlHousekeepingStore implements HousekeepingStore {
  constructor(
    private readonly db: Db,
    private readonly q: Runner,
  ) {}
}
