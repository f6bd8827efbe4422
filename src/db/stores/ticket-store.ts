import type { TicketStore } from '../../core/ports/ticket-store.js';
import type { Db } from '../client.js';
import type { Runner } from '../runner.js';

/** Tickets after filing: apply a step (version check, its event, alerts, messages, form, callback) in one call; reads by number and id. */
export class SqlTicketStore implements TicketStore {
  constructor(
    private readonly db: Db,
    private readonly q: Runner,
  ) {}
}
