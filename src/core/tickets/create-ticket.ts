/** Intake from any source (R1, R3): store the ticket, route and dispatch it, owe its messages. */
import { AppError, isAppError } from '../errors.js';
import { CATEGORIES, SCOPES, SEVERITIES, SOURCES, TICKET_KINDS, type Category, type Scope, type Severity, type Source, type TicketKind } from '../domain.js';
import type { Core } from '../context.js';
import type { CityRequest, Customer, Incident, Resident, Ticket } from '../model.js';
import type { EventDraft, Filing, TicketDraft } from '../ports/intake-store.js';
import { computeDeadlines } from '../deadlines/time-limits.js';
import { generationOf } from '../deadlines/deadline-rows.js';
import { alertRows } from '../deadlines/schedule-alerts.js';
import { outboxRow, type OutboxRow } from '../outbox/enqueue.js';
import { counterKey } from './numbering.js';
import { planMessages } from './notify-plan.js';
import { routeTicket } from './route-ticket.js';
import { eventActor, type ClientActor } from './event-actor.js';
import { cardRows, incidentReplyKey } from '../incidents/incident-messages.js';
import { findRepeatOf } from './repeat-of.js';
import { isConductComplaint } from '../conduct/conduct-route.js';
import { OPERATOR_CLIENT } from '../org/types.js';

export interface NewTicket {
  kind: TicketKind;
  category: Category;
  scope?: Scope;
  severity?: Severity;
  source: Source;
  description: string;
  /** R1: "staff:<id>" for a person, "telegram" for the residents' bot */
  firstResponder: string;
  /** the API client that recorded it for the first responder: the created event's actor (see event-actor.ts) */
  via?: ClientActor;
  customerAccount?: string;
  residentId?: number;
  communityId?: string;
  address?: string;
  building?: string;
  unit?: string;
  room?: string;
  contactName?: string;
  contactPhone?: string;
  topic?: string;
  paidMaterials?: 'company' | 'own';
  /** set by a bot that proved the account (bind) */
  verified?: boolean;
  /** set by intake in a branch (R1.2): that branch handles it even if the address says otherwise */
  branchId?: string;
  /**
   * The requests that file this ticket, when they may come twice (the platform's update,
   * redelivered after a crash; a resident's Submit tap): kept as inbound receipts in the ticket's
   * own transaction, so the ticket exists exactly when the receipts do. A filing with any of the
   * keys stored already is refused with already_filed (its context's `keys` say which); a filing
   * that failed (or a process killed half-way) leaves nothing behind, so it can be done again.
   */
  onceKeys?: readonly string[];
  /**
   * The resident's confirmation (R3), owed with the ticket but due only after `graceMs`: the bot
   * answers at once itself and then marks this message delivered (filedReplyKey); if the process
   * stops between the ticket and that answer, the outbox still tells the resident their number.
   */
  confirmation?: { chatId: string; replyTo?: number; locale: string; graceMs: number };
  /**
   * The resident's own message that reported it (Telegram message id), kept in the created
   * event's data: the resident's later updates on the ticket answer that message.
   */
  replyTo?: number;
  /** rows the caller already read (the bot has its resident and account in hand): not read again */
  known?: { customer?: Customer | null; resident?: Resident | null };
  photos?: string[];
  /**
   * The open incident that covers the report (a no-heat complaint from one of its communities):
   * the report is linked to it and taken by its branch at once. It gets no card and no clock of
   * its own (the incident's card counts it, the incident's resolve time is its deadline), and the
   * resident is answered with what is known about the repair instead of the filed message.
   */
  incident?: Incident;
  /** What a city platform sent through Open311 beyond the ticket, stored with it in its transaction. */
  cityRequest?: Omit<CityRequest, 'id' | 'ticketId'>;
}

function check(input: NewTicket, core: Core): void {
  const bad = (field: string, message: string) => {
    throw new AppError('validation_failed', `${field}: ${message}`, { field });
  };
  if (!TICKET_KINDS.includes(input.kind)) bad('kind', `must be one of ${TICKET_KINDS.join(', ')}`);
  if (!CATEGORIES.includes(input.category)) bad('category', `must be one of ${CATEGORIES.join(', ')}`);
  if (input.scope && !SCOPES.includes(input.scope)) bad('scope', `must be one of ${SCOPES.join(', ')}`);
  if (input.severity && !SEVERITIES.includes(input.severity)) bad('severity', `must be one of ${SEVERITIES.join(', ')}`);
  if (!SOURCES.includes(input.source)) bad('source', `must be one of ${SOURCES.join(', ')}`);
  if (!input.description?.trim()) bad('description', 'must not be empty');
  if (input.description.length > 4000) bad('description', 'is longer than 4000 characters');
  const fr = input.firstResponder;
  if (fr.startsWith('staff:')) {
    if (!core.org.staff.has(fr.slice(6))) throw new AppError('unknown_staff', `first responder ${fr} is not in the organisation`, { staff: fr });
  } else if (fr.startsWith('api:')) {
    // a city platform filing through Open311 (core/open311/file-city-request.ts): the client is the first responder
    const client = fr.slice(4);
    if (client !== OPERATOR_CLIENT && !core.org.apiClients.has(client)) bad('firstResponder', `${fr} is not a known API client`);
  } else if (fr !== 'telegram' && fr !== 'suggestion_box') bad('firstResponder', 'must be staff:<id>, api:<client>, telegram or suggestion_box');
  if (input.communityId && !core.org.communities.has(input.communityId)) {
    throw new AppError('unknown_community', `community ${input.communityId} is not in the organisation`, { community: input.communityId });
  }
  if (input.branchId && !core.org.branches.has(input.branchId)) {
    throw new AppError('unknown_branch', `branch ${input.branchId} is not in the organisation`, { branch: input.branchId });
  }
}

export async function createTicket(core: Core, input: NewTicket): Promise<Ticket> {
  check(input, core);
  const now = core.clock.now();
  const customer =
    input.known?.customer && input.known.customer.account === input.customerAccount
      ? input.known.customer
      : input.customerAccount
        ? await core.stores.customers.byAccount(input.customerAccount)
        : null;
  if (input.customerAccount && !customer) {
    throw new AppError('customer_not_found', `no customer with account ${input.customerAccount}`, { account: input.customerAccount });
  }
  const resident =
    input.known?.resident && input.known.resident.id === input.residentId
      ? input.known.resident
      : input.residentId
        ? await core.stores.residents.byId(input.residentId)
        : null;
  const communityId = input.communityId ?? customer?.communityId ?? resident?.communityId ?? null;
  // R18/R19: HQ answers suggestions, so one stays with the centre unless a branch took it itself (R17)
  // R31-R33: the centre investigates a complaint about staff, not the accused's branch (conduct-route.ts)
  const conduct = isConductComplaint(input);
  const route = conduct
    ? { branchId: null, unitId: null }
    : input.branchId
      ? { branchId: input.branchId, unitId: core.org.unitFor(input.branchId, input.category)?.id ?? null }
      : input.kind === 'suggestion'
        ? { branchId: null, unitId: null }
        : routeTicket(core.org, communityId, input.category);
  const incident = input.incident?.status === 'open' && route.branchId ? input.incident : undefined;
  const cls = {
    kind: input.kind,
    category: input.category,
    // the incident's fault is in the company's network, not in the flat: R27 judges it by the 24 h repair
    scope: incident ? 'primary' : (input.scope ?? 'secondary'),
    severity: input.severity ?? (input.category === 'leak' ? 'urgent' : 'normal'),
  } as const;
  // the rows of the first generation and the ticket's due columns, from the same times
  const deadlines = incident
    ? generationOf({ ackDueAt: null, arriveDueAt: null, resolveDueAt: incident.resolveDueAt }, now)
    : generationOf(computeDeadlines(core.org.config, route.branchId, cls, now), now);

  const ticket: TicketDraft = {
    ...cls,
    source: input.source,
    status: incident ? 'accepted' : route.branchId || conduct ? 'dispatched' : 'received',
    description: input.description.trim(),
    topic: input.topic ?? null,
    customerId: customer?.id ?? null,
    residentId: resident?.id ?? null,
    verified: input.verified ?? Boolean(customer && input.source !== 'telegram'),
    contactName: input.contactName ?? customer?.name ?? null,
    contactPhone: input.contactPhone ?? customer?.phone ?? null,
    communityId,
    address: input.address ?? customer?.address ?? null,
    building: input.building ?? customer?.building ?? null,
    unit: input.unit ?? customer?.unit ?? null,
    room: input.room ?? customer?.room ?? null,
    firstResponder: input.firstResponder,
    branchId: route.branchId,
    unitId: route.unitId,
    paidMaterials: input.paidMaterials ?? null,
    incidentId: incident?.id ?? null,
    ...deadlines.columns,
    createdAt: now,
    dispatchedAt: route.branchId || conduct ? now : null,
    ...(incident ? { acceptedAt: now } : {}),
    updatedAt: now,
  };
  // R30: the same customer's complaint of the same category within kpi.repeatWithin repeats the first (repeat-of.ts)
  const repeat = await findRepeatOf(core, ticket, now);
  if (repeat) ticket.repeatOfId = repeat.id;
  const who = eventActor(input.firstResponder, input.via);
  // R8a: dispatch by address is automatic; the triage queue only holds what matched no area.
  const events: EventDraft[] = [
    {
      at: now,
      type: 'created',
      actor: who.actor,
      fromStatus: null,
      toStatus: 'received',
      note: null,
      data: JSON.stringify({
        source: input.source,
        ...who.data,
        ...(input.replyTo ? { replyTo: input.replyTo } : {}),
        ...(repeat ? { repeatOf: repeat.number } : {}),
      }),
    },
    ...(route.branchId || conduct
      ? [
          {
            at: now,
            type: 'dispatched',
            actor: 'system',
            fromStatus: 'received',
            toStatus: 'dispatched',
            note: null,
            data: JSON.stringify({ branchId: route.branchId, unitId: route.unitId, ...(conduct ? { supervision: true } : {}) }),
          },
        ]
      : []),
    ...(incident
      ? [
          {
            at: now,
            type: 'linked',
            actor: 'system',
            fromStatus: 'dispatched',
            toStatus: 'accepted',
            note: null,
            data: JSON.stringify({ incidentId: incident.id, number: incident.number }),
          },
        ]
      : []),
  ];
  const last = events[events.length - 1];
  const filing: Filing = {
    counter: counterKey(input.kind, now),
    ticket,
    events,
    photos: (input.photos ?? []).map((fileId) => ({ fileId, createdAt: now })),
    deadlines: deadlines.rows,
    owes: ({ ticketId, eventIds }) =>
      incident
        ? // the incident's card (coalesced) counts it; the answer is what is known about the repair
          {
            messages: [...cardRows(core.org, incident, now), ...(input.confirmation ? [linkedReplyRow(ticketId, incident, input.confirmation, now)] : [])],
            alerts: [],
          }
        : {
            messages: planMessages(
              core.org,
              { ...ticket, id: ticketId, residentChatId: resident?.chatId },
              { id: eventIds[eventIds.length - 1], type: last.type },
            )
              .map((m) => outboxRow(m, now))
              .concat(input.confirmation ? [confirmationRow(ticketId, input.confirmation, now)] : []),
            alerts: alertRows(core.org.config, { ...ticket, id: ticketId }, now),
          },
    onceKeys: input.onceKeys,
    ...(incident ? { incidentId: incident.id } : {}),
    ...(input.cityRequest ? { cityRequest: input.cityRequest } : {}),
  };
  try {
    return await core.stores.intake.file(filing);
  } catch (e) {
    // the incident was restored between intake's read and the filing: an ordinary report after all
    if (incident && isAppError(e, 'concurrent_update') && e.context.incidentRestored) return createTicket(core, { ...input, incident: undefined });
    throw e;
  }
}

/** The outbox key of a filed report's confirmation to the resident. */
export function filedReplyKey(ticketId: number): string {
  return `filed:${ticketId}`;
}

function confirmationRow(ticketId: number, c: NonNullable<NewTicket['confirmation']>, now: Date): OutboxRow {
  const item = {
    key: filedReplyKey(ticketId),
    platform: 'telegram',
    target: c.chatId,
    kind: 'ticket_filed',
    payload: { ticketId, replyTo: c.replyTo, locale: c.locale },
  } as const;
  return { ...outboxRow(item, now), nextAt: new Date(now.getTime() + c.graceMs) };
}

/** The answer to a report linked to an incident, owed in reserve like the confirmation (incidentReplyKey). */
function linkedReplyRow(ticketId: number, incident: Incident, c: NonNullable<NewTicket['confirmation']>, now: Date): OutboxRow {
  const item = {
    key: incidentReplyKey(ticketId),
    platform: 'telegram',
    target: c.chatId,
    kind: 'incident_reply',
    payload: { incidentId: incident.id, ticketId, replyTo: c.replyTo, locale: c.locale },
  } as const;
  return { ...outboxRow(item, now), nextAt: new Date(now.getTime() + c.graceMs) };
}

/**
 * The resident's own message a ticket was reported in (the `replyTo` its created event keeps),
 * for the messages of its later steps to answer; undefined for reports from elsewhere.
 */
export function reportMessageId(createdEventData: string | null | undefined): number | undefined {
  if (!createdEventData) return undefined;
  try {
    const v = (JSON.parse(createdEventData) as { replyTo?: unknown }).replyTo;
    return typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : undefined;
  } catch {
    return undefined;
  }
}
