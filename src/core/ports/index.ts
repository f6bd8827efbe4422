/**
 * The stores the core needs, one per aggregate. The core declares them here and src/db
 * implements them for SQLite and PostgreSQL (src/db/stores); use cases decide first and then
 * make one store call, so each store call is one transaction.
 */
import type { TicketStore } from './ticket-store.js';
import type { IntakeStore } from './intake-store.js';
import type { AlertStore } from './alert-store.js';
import type { OutboxStore } from './outbox-store.js';
import type { ReceiptStore } from './receipt-store.js';
import type { CustomerStore } from './customer-store.js';
import type { ResidentStore } from './resident-store.js';
import type { DutyStore } from './duty-store.js';
import type { KpiReads } from './kpi-reads.js';
import type { ReadModels } from './read-models.js';
import type { HousekeepingStore } from './housekeeping-store.js';
import type { SessionStore } from './session-store.js';
import type { ConversationStore } from './conversation-store.js';
import type { IncidentStore } from './incident-store.js';
import type { FormStore } from './form-store.js';
import type { TrainingStore } from './training-store.js';
import type { QuoteStore } from './quote-store.js';
import type { KpiPeriodStore } from './kpi-period-store.js';
import type { ConductStore } from './conduct-store.js';
import type { CityRequestReads } from './city-request-reads.js';

export interface Stores {
  tickets: TicketStore;
  intake: IntakeStore;
  alerts: AlertStore;
  outbox: OutboxStore;
  receipts: ReceiptStore;
  customers: CustomerStore;
  residents: ResidentStore;
  duty: DutyStore;
  kpis: KpiReads;
  views: ReadModels;
  housekeeping: HousekeepingStore;
  sessions: SessionStore;
  conversations: ConversationStore;
  incidents: IncidentStore;
  forms: FormStore;
  training: TrainingStore;
  quotes: QuoteStore;
  kpiPeriods: KpiPeriodStore;
  conduct: ConductStore;
  cityRequests: CityRequestReads;
}
