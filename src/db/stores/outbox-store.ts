import type { OutboxStore } from '../../core/ports/outbox-store.js';
import type { Db } from '../client.js';
import type { Runner } from '../runner.js';

/** Messages owed: owe, claim due rows with a lease, mark sent / failed / dead, resend; where a ticket's Slack cards live. */
export class SqlOutboxStore implements OutboxStore {
  constructor(
    private readonly db: Db,
    private readonly q: Runner,
  ) {}
}
