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
import { SqlSessionStore } from './session-store.js';
import { SqlConversationStore } from './conversation-store.js';
import { SqlIncidentStore } from './incident-store.js';
import { SqlFormStore } from './form-store.js';
import { SqlTrainingStore } from './training-store.js';
import { SqlQuoteStore } from './quote-store.js';
import { SqlKpiPeriodStore } from './kpi-period-store.js';
import { SqlConductStore } from './conduct-store.js';
import { SqlCityRequestReads } from './city-request-reads.js';

export function openStores(db: Db): Stores {
  const q = runnerOf(db);
  return {
    tickets: new SqlTicketStore(q),
    intake: new SqlIntakeStore(q),
    alerts: new SqlAlertStore(q),
    outbox: new SqlOutboxStore(q),
    receipts: new SqlReceiptStore(q),
    customers: new SqlCustomerStore(q),
    residents: new SqlResidentStore(q),
    duty: new SqlDutyStore(q),
    kpis: new SqlKpiReads(q),
    views: new SqlReadModels(q),
    housekeeping: new SqlHousekeepingStore(q),
    sessions: new SqlSessionStore(q),
    conversations: new SqlConversationStore(q),
    incidents: new SqlIncidentStore(q),
    forms: new SqlFormStore(q),
    training: new SqlTrainingStore(q),
    quotes: new SqlQuoteStore(q),
    kpiPeriods: new SqlKpiPeriodStore(q),
    conduct: new SqlConductStore(q),
    cityRequests: new SqlCityRequestReads(q),
  };
}
