/**
 * Incidents: one cause behind many reports (core/incidents). Each call is one transaction: a
 * declaration stores the incident, its areas, the links of the reports already filed, its first
 * timeline line and the messages it owes, or nothing.
 */
import type { Incident, IncidentEvent, Ticket } from '../model.js';
import type { OutboxRow } from '../outbox/enqueue.js';
import type { StepPlan } from './ticket-store.js';

/** The columns a declaration decides; the number, counts and version are the store's. */
export type IncidentDraft = Omit<Incident, 'id' | 'number' | 'status' | 'linkedCount' | 'version' | 'restoredAt' | 'restoredBy' | 'updatedAt'>;

/** A ticket linked to an incident, as the messages about it need it. */
export interface LinkedTicket {
  id: number;
  number: string;
  residentId: number | null;
  /** the branch that has it: its card (posted before the link) hears of the link there */
  branchId: string | null;
}

/** A line of the timeline as first stored. */
export type IncidentEventDraft = Pick<IncidentEvent, 'at' | 'type' | 'actor' | 'note'> & { data: Record<string, unknown> | null };

export interface Declaration {
  /** the day's counter the number is drawn from: I20261206 */
  counter: string;
  incident: IncidentDraft;
  event: IncidentEventDraft;
  /**
   * The reports already filed that the incident takes over: open no-heat complaints of its
   * communities filed from `since` on and linked to no incident. They lose their own
   * acknowledgement and visit clocks (withdrawn, not missed) and take the incident's resolve time.
   */
  link: { since: Date };
  /** what the declaration owes once the incident and the links have ids */
  owes(incident: Incident, linked: LinkedTicket[]): OutboxRow[];
}

/** A bound (or hand-placed) resident of an affected community who can be told. */
export interface ResidentToNotify {
  residentId: number;
  chatId: string;
  locale: string;
  /** their open ticket linked to the incident, if any (the newest) */
  ticketId: number | null;
}

export interface IncidentChange {
  id: number;
  /** the version the change was decided on: if it moved, nothing is stored (concurrent_update) */
  version: number;
  patch: Partial<Pick<Incident, 'expectedAt' | 'cause' | 'severity' | 'status' | 'restoredAt' | 'restoredBy' | 'updatedAt'>>;
  event: IncidentEventDraft;
  messages: OutboxRow[];
}

export interface Restoration extends IncidentChange {
  /** the resolve of each linked open ticket (and the callback after it), decided by the ticket rules */
  tickets: StepPlan[];
}

export interface IncidentStore {
  /**
   * Stores a declaration. When any of its communities is already covered by an open incident,
   * or its proposalKey was declared already, nothing is stored and that incident comes back with
   * created=false: the unique open community (and proposal key) decides a race on both databases.
   */
  declare(d: Declaration): Promise<{ incident: Incident; created: boolean; linked: LinkedTicket[] }>;
  /** The open incident covering a community, if any: one indexed read (the report hot path). */
  openFor(communityId: string): Promise<Incident | null>;
  /** The open incidents covering any of these communities. */
  openForAny(communityIds: readonly string[]): Promise<Incident[]>;
  byId(id: number): Promise<Incident | null>;
  byNumber(number: string): Promise<Incident | null>;
  byProposalKey(key: string): Promise<Incident | null>;
  /** newest first */
  list(o: { status?: Incident['status']; take: number; skip: number }): Promise<{ incidents: Incident[]; total: number }>;
  /** the timeline, oldest first */
  events(incidentId: number): Promise<IncidentEvent[]>;
  /** the linked tickets, oldest first */
  linkedTickets(incidentId: number, page: { take: number; skip: number }): Promise<Ticket[]>;
  /** open linked tickets with where their resident is told (for the restoration's plans) */
  openLinked(incidentId: number): Promise<{ ticket: Ticket; residentChatId: string | null }[]>;
  /** Links one ticket (a staff tool): sets Ticket.incidentId, counts it, stores the event and messages. */
  link(l: { incidentId: number; ticket: StepPlan; note: string | null; actor: string; messages: OutboxRow[] }): Promise<Incident>;
  /** A change of the incident (optimistic on its version) with its timeline line and messages. */
  update(c: IncidentChange): Promise<Incident>;
  /**
   * Restores it: the incident's change, every linked ticket's steps, the areas freed (another
   * incident may then cover them), and the messages, in one transaction. A report linked after
   * the plans were read leaves it undone: concurrent_update with `lateLinks`.
   */
  restore(r: Restoration): Promise<Incident>;
  /** Residents of these communities to tell: bound through their account or placed by hand, not unreachable. */
  residentsToNotify(communityIds: readonly string[], incidentId: number): Promise<ResidentToNotify[]>;
  /** The Slack message of the incident's card in a channel. */
  cardOf(incidentId: number, channel: string): Promise<string | null>;
  saveCard(c: { incidentId: number; channel: string; ts: string }): Promise<void>;
}
