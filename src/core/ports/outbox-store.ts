import type { OutboxMessage, Platform, SlackCard } from '../model.js';
import type { OutboxItem } from '../outbox/enqueue.js';

/** How a failed delivery is stored: tried again at `nextAt`, or dead (an admin may resend it). */
export interface DeliveryFailure {
  attempts: number;
  error: string;
  dead: boolean;
  nextAt: Date;
}

/** What a worker asks of claim. */
export interface ClaimOptions {
  platforms: readonly Platform[];
  owner: string;
  now: Date;
  leaseUntil: Date;
  take: number;
  /** at most this many rows to one target (a paced lane holds only what it sends soon); default no limit */
  perTarget?: number;
  /** `platform:target` keys not to claim now (the worker's lanes to them are busy or waiting) */
  skip?: Iterable<string>;
}

/** Messages owed: owe, claim due rows with a lease, mark sent / failed / dead, resend; where a ticket's Slack cards live. */
export interface OutboxStore {
  /** Owes the messages; a key already owed stays as it is, so a replayed change owes nothing twice. */
  owe(items: readonly OutboxItem[], now: Date): Promise<void>;
  /**
   * Leases up to `take` due rows of these platforms to `owner` until `leaseUntil`, by priority
   * (core/outbox/priority.ts), oldest first within one. Order per target holds within a
   * priority: a row waiting for its retry (or held in reserve) holds back the later rows of its
   * priority to the same target; a row held by another owner holds back the target's later rows.
   * A higher priority may overtake a lower one to the same target: no message depends on one of
   * another priority (a card and its thread lines, an alert and its acknowledgement, share one).
   * A row still leased when claimed (its holder stopped between sending and writing the outcome)
   * comes back, and stays, marked outcome unknown (core/outbox/outcome-unknown.ts). A blocked,
   * skipped or full target's backlog does not hide the rows of other targets behind it.
   */
  claim(o: ClaimOptions): Promise<OutboxMessage[]>;
  /** Gives leased rows back untouched (no attempt counted), for the next pass or another instance. */
  release(ids: readonly number[], owner: string): Promise<void>;
  /**
   * A pending message that went out by another way (the bot's own reply carried the same words)
   * is marked sent, unless a worker holds it already; false when it was not pending and free.
   */
  deliveredElsewhere(key: string, at: Date): Promise<boolean>;
  /** A pending message owed for later is due at `now` instead (the other way failed). */
  dueNow(key: string, now: Date): Promise<void>;
  /** What delivering the message with this key gave (its `result`, e.g. the Telegram message id), once it is sent; null otherwise. */
  sentResult(key: string): Promise<string | null>;
  /** `result` is JSON text (e.g. the Slack message ts) or null. */
  markSent(id: number, o: { at: Date; attempts: number; result: string | null }): Promise<void>;
  markFailed(id: number, f: DeliveryFailure): Promise<void>;
  /** A dead message owed again from `now`: not_found, or invalid_transition when it is not dead. */
  resend(id: number, now: Date): Promise<void>;
  /** Newest first, a page at a time, for the admins. */
  list(state: OutboxMessage['state'], page: { skip: number; take: number }): Promise<{ total: number; items: OutboxMessage[] }>;
  countDue(platforms: readonly Platform[], now: Date): Promise<number>;
  /** Where a ticket's Slack message for `purpose` (dispatch, urgent, major, triage, callback:<id>) was posted. */
  cardOf(ticketId: number, purpose: string): Promise<SlackCard | null>;
  /** The ticket message posted at this channel and ts (a staff reply in its thread names it so), or null. */
  cardAt(channel: string, ts: string): Promise<SlackCard | null>;
  /** Keeps (or moves) where that message is. */
  saveCard(card: Omit<SlackCard, 'id'>): Promise<void>;
}
