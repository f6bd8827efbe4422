import type { OutboxRow } from '../outbox/enqueue.js';
import type { NewDeadline } from '../deadlines/deadline-rows.js';
import type { CityRequest, ScheduledAlert, Ticket, TicketEvent, TicketPhoto } from '../model.js';
import type { Status } from '../tickets/status-machine.js';

/**
 * The columns intake decides. The others (id, the day's number, counts, step times, version)
 * are the store's and the schema's: the ticket `file` returns carries them as stored.
 */
export type TicketDraft = Omit<
  Ticket,
  | 'id'
  | 'number'
  | 'assigneeId'
  | 'duplicateOfId'
  | 'transferCount'
  | 'reopenCount'
  | 'conductStaffId'
  | 'conductConfirmed'
  | 'repeatOfId'
  | 'acceptedAt'
  | 'arrivedAt'
  | 'resolvedAt'
  | 'closedAt'
  | 'cancelledAt'
  | 'overdueAt'
  | 'satisfaction'
  | 'version'
> &
  /** set when the report is taken at once (linked to an open incident: the incident's branch has it) */
  Partial<Pick<Ticket, 'acceptedAt'>> &
  /** R30: the first complaint this one repeats; R31: the staff member a conduct complaint names */
  Partial<Pick<Ticket, 'repeatOfId' | 'conductStaffId'>>;

export type EventDraft = Omit<TicketEvent, 'id' | 'ticketId'>;

/** A time-bound alert as first stored (deadlines/schedule-alerts.ts alertRows). */
export type AlertRow = Pick<ScheduledAlert, 'key' | 'kind' | 'dueAt' | 'data'> & { ticketId: number };

/** A ticket to file, decided in full before anything is stored. */
export interface Filing {
  /** the day's counter the number is drawn from (numbering.ts: kind letter and local date) */
  counter: string;
  ticket: TicketDraft;
  /** oldest first */
  events: EventDraft[];
  photos: Omit<TicketPhoto, 'id' | 'ticketId'>[];
  /** the deadlines' first generation (at most one per name of the time-limit table) */
  deadlines: NewDeadline[];
  /**
   * What the filing owes once its rows have ids (message and alert keys name them): the
   * ticket's id and its events' ids in order. Nothing else of the ticket is drawn by the store
   * but its number, which no message or alert row carries.
   */
  owes(ids: { ticketId: number; eventIds: number[] }): { messages: OutboxRow[]; alerts: AlertRow[] };
  /**
   * The receipts of the requests that file it, when they may come twice (the update itself,
   * redelivered after a crash; a resident's Submit tap, tapped again): they commit with the
   * ticket, so a filing with any key stored already is refused with already_filed, its context's
   * `keys` naming the stored ones, and stores nothing.
   */
  onceKeys?: readonly string[];
  /**
   * The open incident the ticket is linked to: its count of linked reports goes up with the
   * filing. Restored meanwhile: nothing is stored, concurrent_update with `incidentRestored`.
   */
  incidentId?: number;
  /** What a city platform sent through Open311 beyond the ticket (one CityRequest row), stored with the ticket or not at all. */
  cityRequest?: Omit<CityRequest, 'id' | 'ticketId'>;
}

/** A resident's note on their ticket, with what it owes. */
export interface ResidentNote {
  ticketId: number;
  event: EventDraft;
  /** the unsatisfied callback the words also answer: its comment, kept only if it has none yet */
  callback?: { id: number; comment: string };
  /** photos the note brings (a follow-up photo is a TicketPhoto as well as the note) */
  photos?: Omit<TicketPhoto, 'id' | 'ticketId'>[];
  owes(eventId: number): OutboxRow[];
}

/** Filing a ticket: the day's number, the ticket with its events, photos, alerts and messages, and the once-key receipt, in one transaction; the per-resident flood count. */
export interface IntakeStore {
  /**
   * Stores the filing and returns the ticket as stored. All of it or nothing: a refused
   * (already_filed) or failed filing stores nothing (none of its receipts either) and uses no
   * number, so the day's numbers have no gaps.
   */
  file(f: Filing): Promise<Ticket>;
  /** How many tickets a resident filed after `since`, and when the first of them was. */
  reportsSince(residentId: number, since: Date): Promise<{ count: number; first: Date | null }>;
  /**
   * A photo for the resident's newest ticket in one of `statuses` filed from `since` on; that
   * ticket's number, or null (nothing stored) when there is none.
   */
  attachPhoto(p: { residentId: number; statuses: readonly Status[]; since: Date; fileId: string; at: Date }): Promise<string | null>;
  /** Stores the note (its photos, the callback comment) with its messages; the note's event id. */
  addNote(n: ResidentNote): Promise<number>;
  /** The number of the ticket an API client filed through Open311 with this Idempotency-Key, or null. */
  cityRequestNumber(clientId: string, onceKey: string): Promise<string | null>;
}
