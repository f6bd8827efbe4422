import type { IntakeStore } from '../../core/ports/intake-store.js';
import type { Db } from '../client.js';
import type { Runner } from '../runner.js';

/** Filing a ticket: the day's number, the ticket with its events, photos, alerts and messages, and the once-key receipt, in one transaction; the per-resident flood count. */
export class SqlIntakeStore implements IntakeStore {
  constructor(
    private readonly db: Db,
    private readonly q: Runner,
  ) {}
}
