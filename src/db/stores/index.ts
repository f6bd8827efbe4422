/** The stores of the core (src/core/ports), on the database a client was opened on. */
import type { Stores } from '../../core/ports/index.js';
import type { Db } from '../client.js';
import { runnerOf } from '../runner.js';
import { SqlTicketStore } from './ticket-store.js';
import { SqlIntakeStore } from './intake-store.js';
import { SqlAlertStore } from './alert-store.js';
import { SqlOutboxStore } from './outbox-store.js';
import { SqlReceiptStore } from './receipt-store.js';
import { SqlCustomerStore } from './customer-store.js';
import { SqlResidentStore } from './resident-store.js';
import { SqlDutyStore } from './duty-store.js';
import { SqlKpiReads } from './kpi-reads.js';
import { SqlReadModels } from './read-models.js';
import { SqlHousekeepingStore } from './housekeeping-store.js';

export function openStores(db: Db): Stores {
  const q = runnerOf(db);
  return {
    tickets: new SqlTicketStore(db, q),
    intake: new SqlIntakeStore(db, q),
    alerts: new SqlAlertStore(db, q),
    outbox: new SqlOutboxStore(db, q),
    receipts: new SqlReceiptStore(db, q),
    customers: new SqlCustomerStore(db, q),
    residents: new SqlResidentStore(db, q),
    duty: new SqlDutyStore(db, q),
    kpis: new SqlKpiReads(db, q),
    views: new SqlReadModels(db, q),
    housekeeping: new SqlHousekeepingStore(db, q),
  };
}
