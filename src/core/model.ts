/**
 * The core's own records: what the stores hand to use cases and what the bots and pages render.
 * They follow prisma/schema.prisma field for field (src/db checks that at compile time, see
 * db/rows.ts), with the domain's unions where the database keeps a plain string.
 */
import type { Category, Satisfaction, Scope, Severity, Source, TicketKind } from './domain.js';
import type { Status } from './tickets/status-machine.js';

/**
 * Who did something: a staff member, a resident, the system, or the channel a report came in
 * by when no person took it (R1: the bot, the suggestion box), or an API client (`api:<client id>`,
 * `api:operator` for API_TOKEN; a staff member it acted for is kept as the event's onBehalfOf).
 */
export type Actor = `staff:${string}` | `resident:${number}` | 'system' | 'telegram' | 'suggestion_box' | `api:${string}`;

export interface Customer {
  id: number;
  account: string;
  name: string;
  phone: string;
  address: string;
  communityId: string;
  building: string | null;
  unit: string | null;
  room: string | null;
  areaM2: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface Resident {
  id: number;
  telegramUserId: string;
  chatId: string;
  locale: string;
  customerId: number | null;
  communityId: string | null;
  address: string | null;
  bindFailures: number;
  bindLockedUntil: Date | null;
  /** shared by the resident (Telegram's contact button) for reports without a bound account */
  phone: string | null;
  /** Telegram refused a message to them for good (they blocked the bot); cleared when they write again */
  unreachableAt: Date | null;
  /** the menu keyboard went with a message of the bot's: it is attached once, the first time */
  menuShownAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface Ticket {
  id: number;
  number: string;
  kind: TicketKind;
  category: Category;
  scope: Scope;
  severity: Severity;
  source: Source;
  status: Status;
  description: string;
  topic: string | null;
  customerId: number | null;
  residentId: number | null;
  verified: boolean;
  contactName: string | null;
  contactPhone: string | null;
  communityId: string | null;
  address: string | null;
  building: string | null;
  unit: string | null;
  room: string | null;
  /** R1: who first received it; never changes, not even on transfer */
  firstResponder: string;
  branchId: string | null;
  unitId: string | null;
  assigneeId: string | null;
  duplicateOfId: number | null;
  transferCount: number;
  reopenCount: number;
  paidMaterials: string | null;
  conductStaffId: string | null;
  conductConfirmed: boolean;
  /** linked to an incident: its card and time limit stand for this ticket's (core/incidents) */
  incidentId: number | null;
  /** R30: the first complaint of a repeat (same customer and category within kpi.repeatWithin) */
  repeatOfId: number | null;
  ackDueAt: Date | null;
  arriveDueAt: Date | null;
  resolveDueAt: Date | null;
  createdAt: Date;
  dispatchedAt: Date | null;
  acceptedAt: Date | null;
  arrivedAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  cancelledAt: Date | null;
  overdueAt: Date | null;
  satisfaction: Satisfaction | null;
  updatedAt: Date;
  /** optimistic lock: a step names the version it read */
  version: number;
}

/** The deadlines a ticket runs against: acknowledge, be on site, resolve (R7, R27), call back (R8h). */
export type DeadlineName = 'ack' | 'arrive' | 'resolve' | 'callback';

/**
 * A deadline of a ticket with its outcome. A reopen or a transfer to another branch ends the
 * running generation (supersededAt) and opens the next, so each generation keeps its own outcome.
 */
export interface Deadline {
  id: number;
  ticketId: number;
  name: DeadlineName;
  generation: number;
  startedAt: Date;
  dueAt: Date;
  /** when the step that meets it was stored (a resolve meets every deadline still open) */
  metAt: Date | null;
  /** when the sweep fired its overdue alert while it was unmet */
  missedAt: Date | null;
  /** when its generation ended (a reopen, a transfer to another branch) or the ticket was withdrawn */
  supersededAt: Date | null;
}

/**
 * Events that change nothing on the ticket and record who saw what, for the audit trail:
 * a resident's full phone number shown to a member of staff.
 */
export type AuditEventType = 'phone_revealed';

export interface TicketEvent {
  id: number;
  ticketId: number;
  at: Date;
  type: string;
  actor: string;
  fromStatus: string | null;
  toStatus: string | null;
  note: string | null;
  /** JSON text */
  data: string | null;
}

export interface TicketPhoto {
  id: number;
  ticketId: number;
  fileId: string;
  createdAt: Date;
}

export interface ServiceForm {
  id: number;
  ticketId: number;
  workDone: string;
  materials: string | null;
  feesCents: number;
  effect: string | null;
  afterSalesTerms: string | null;
  signed: boolean;
  customerConfirmed: boolean;
  customerOpinion: string | null;
  confirmedAt: Date | null;
  serviceDate: Date;
  hqReturnedAt: Date | null;
  /** who marked the HQ copy returned (R8l) */
  hqReturnedBy: string | null;
  createdBy: string;
  createdAt: Date;
}

export type CallbackStatus = 'pending' | 'answered' | 'unreachable';

export interface Callback {
  id: number;
  ticketId: number;
  channel: 'telegram' | 'phone';
  status: CallbackStatus;
  result: Satisfaction | null;
  comment: string | null;
  attempts: number;
  /** the last counted "not reached" attempt: attempts count only when spaced (escalation.callbackRetrySpacing) */
  lastAttemptAt: Date | null;
  agentId: string | null;
  customerKey: string | null;
  createdAt: Date;
  answeredAt: Date | null;
}

export interface DutyLogEntry {
  id: number;
  staffId: string;
  branchId: string | null;
  text: string;
  ticketNumber: string | null;
  at: Date;
}

export interface Handover {
  id: number;
  branchId: string | null;
  outgoingStaffId: string;
  outgoingSignedAt: Date;
  summary: string;
  /** JSON list of ticket numbers */
  openUrgent: string | null;
  incomingStaffId: string | null;
  incomingSignedAt: Date | null;
  /** R4 (无异议后签字): the incoming person objected instead of signing, and what to */
  objection: string | null;
  /** who objected (a staff id) */
  objectedBy: string | null;
  objectedAt: Date | null;
  createdAt: Date;
}

/** Who holds the duty of a branch (or one of its units; both null: the centre) from `from`, moved by an accepted handover. */
export interface DutyAssignment {
  id: number;
  branchId: string | null;
  unitId: string | null;
  staffId: string;
  from: Date;
  /** the end of the roster shift it was handed over in; null: until the next assignment */
  until: Date | null;
  source: 'handover' | 'manual';
  handoverId: number | null;
}

/** A time-bound alert: a deadline warning, overdue, escalation, callback time-out or report. */
export interface ScheduledAlert {
  id: number;
  key: string;
  ticketId: number | null;
  kind: string;
  dueAt: Date;
  firedAt: Date | null;
  cancelledAt: Date | null;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  /** JSON text */
  data: string | null;
}

/** where an outbox row goes: a chat, a channel, or an API client's webhook (its target is the client id) */
export type Platform = 'telegram' | 'slack' | 'webhook';

export interface OutboxMessage {
  id: number;
  key: string;
  platform: Platform;
  target: string;
  kind: string;
  /** JSON text */
  payload: string;
  state: 'pending' | 'sent' | 'dead';
  attempts: number;
  nextAt: Date;
  lastError: string | null;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  /** JSON text, e.g. the Slack message ts */
  result: string | null;
  /** 0 urgent and major alerts, 1 messages to residents, 2 cards and staff messages, 3 digests, reports and notices (core/outbox/priority.ts) */
  priority: number;
  createdAt: Date;
  sentAt: Date | null;
}

export interface SlackCard {
  id: number;
  ticketId: number;
  channel: string;
  ts: string;
  purpose: string;
}

/**
 * A signed-in dashboard session, kept on the server so that signing out ends it everywhere at
 * once. The browser holds a random token; only its SHA-256 is stored, so a copy of this table
 * signs nobody in.
 */
export interface StaffSession {
  /** hex SHA-256 of the cookie's token */
  id: string;
  /** the organisation file's staff id, or "operator" for the API-token sign-in */
  staffId: string;
  /** the role at sign-in (a staff role, or "operator") */
  role: string;
  /** the branch the person sees; null: every branch */
  branchId: string | null;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

export const INCIDENT_SCOPES = ['station', 'primary_section', 'community'] as const;
export type IncidentScope = (typeof INCIDENT_SCOPES)[number];

/**
 * One cause behind many reports (a failed heat-exchange station, a burst section of the primary
 * network): declared once, its residents told, the reports of its communities linked to it
 * rather than dispatched one by one, and all of them resolved when heat is back.
 */
export interface Incident {
  id: number;
  number: string;
  status: 'open' | 'restored';
  scope: IncidentScope;
  cause: string;
  severity: 'normal' | 'major';
  branchIds: string[];
  communityIds: string[];
  stationIds: string[];
  expectedAt: Date | null;
  resolveDueAt: Date;
  declaredBy: string;
  declaredAt: Date;
  restoredAt: Date | null;
  restoredBy: string | null;
  proposalKey: string | null;
  linkedCount: number;
  version: number;
  updatedAt: Date;
}

export type IncidentEventType = 'declared' | 'updated' | 'linked' | 'unlinked' | 'restored' | 'note' | 'notified';

/** One line of an incident's timeline. */
export interface IncidentEvent {
  id: number;
  incidentId: number;
  at: Date;
  type: IncidentEventType;
  actor: string;
  note: string | null;
  /** JSON text */
  data: string | null;
}

/** KPIs of a closed month, frozen (docs/kpi.md "Closed periods"). */
export interface KpiSnapshot {
  id: number;
  /** YYYY-MM, company time */
  periodKey: string;
  from: Date;
  to: Date;
  /** JSON of the KpiReport computed at closing */
  data: string;
  closedAt: Date;
  closedBy: string;
}

export type KpiAdjustmentAction =
  | 'cancelled'
  | 'duplicate'
  | 'reclassified'
  | 'transferred'
  | 'reopened'
  | 'callback'
  | 'closed'
  | 'conduct_finding'
  | 'linked_incident';

/** A change after a period closed that would have altered its figures: shown beside them, never rewriting them. */
export interface KpiAdjustment {
  id: number;
  periodKey: string;
  ticketId: number;
  branchId: string | null;
  action: KpiAdjustmentAction;
  actor: string;
  reason: string;
  at: Date;
  /** JSON: before / after */
  data: string | null;
}

export const CONDUCT_FINDINGS = ['attitude', 'favours', 'obstruction', 'not_confirmed'] as const;
export type ConductFindingKind = (typeof CONDUCT_FINDINGS)[number];
/** R32: attitude costs the month's post allowance; R33: favours or obstruction, dismissal (recommended) */
export type ConductConsequence = 'allowance' | 'dismissal' | 'none';

export interface ConductFinding {
  id: number;
  ticketId: number;
  staffId: string;
  branchId: string | null;
  finding: ConductFindingKind;
  consequence: ConductConsequence;
  /** YYYY-MM of the finding, company time */
  month: string;
  evidence: string;
  foundBy: string;
  foundAt: Date;
}

/** R24: the topics of the yearly training, in the measures' order */
export const TRAINING_TOPICS = ['regulations', 'company_rules', 'heating_process', 'indoor_systems', 'communication', 'complaint_handling'] as const;
export type TrainingTopic = (typeof TRAINING_TOPICS)[number];

export interface TrainingPlanItem {
  id: number;
  year: number;
  /** "" = the whole company */
  branchId: string;
  topic: TrainingTopic;
  /** 1-12 */
  month: number;
  createdBy: string;
  createdAt: Date;
}

export interface TrainingSession {
  id: number;
  topic: TrainingTopic;
  /** YYYY-MM-DD, company time */
  date: string;
  year: number;
  trainer: string;
  /** "" = the whole company / centre */
  branchId: string;
  note: string | null;
  createdBy: string;
  createdAt: Date;
}

export interface TrainingAttendance {
  id: number;
  sessionId: number;
  staffId: string;
  year: number;
}

export interface QuoteItem {
  name: string;
  unit: string;
  quantity: number;
  unitPriceCents: number;
  amountCents: number;
}

export type QuoteStatus = 'sent' | 'accepted' | 'refused' | 'expired' | 'withdrawn';

/** R16: a quote for secondary-network or in-building pipe work at engineering settlement prices */
export interface Quote {
  id: number;
  number: string;
  ticketId: number;
  branchId: string;
  /** JSON of QuoteItem[] */
  items: string;
  totalCents: number;
  note: string | null;
  status: QuoteStatus;
  validUntil: Date;
  createdBy: string;
  createdAt: Date;
  answeredAt: Date | null;
  answeredBy: string | null;
  paidTicketId: number | null;
}

/**
 * What a city platform (an Open311 GeoReport v2 client: the 12345 hotline's gateway) sent with a
 * request beyond the ticket's own fields, kept as sent (core/open311).
 */
export interface CityRequest {
  id: number;
  ticketId: number;
  /** the API client that filed it; the ticket's first responder is api:<clientId> */
  clientId: string;
  serviceCode: string;
  addressString: string | null;
  /** the heating account it named as address_id */
  addressId: string | null;
  lat: number | null;
  long: number | null;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  mediaUrl: string | null;
  /** JSON: { code: value | [values] }, as the service definition validated them */
  attributes: string;
  /** the client's Idempotency-Key (unique per client): a repeat is answered with this request's ticket */
  onceKey?: string | null;
  createdAt: Date;
}
