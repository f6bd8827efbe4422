import type { Status } from '../tickets/status-machine.js';
import type { Resident, Ticket } from '../model.js';
import type { OutboxItem } from '../outbox/enqueue.js';

/** A sliding window: once `max` wrong tries fall within the last `ms`, the next try is refused. */
export interface TryWindow {
  max: number;
  ms: number;
}

/** The customer a bind try proved: what the resident takes from it. */
export type BoundCustomer = { id: number; communityId: string; address: string };

/** One try to link a resident to a heating account, with everything it may lead to. */
export interface BindTry {
  residentId: number;
  telegramUserId: string;
  /** as given (trimmed): tries are counted per account string, whether the account exists or not */
  account: string;
  at: Date;
  /**
   * `digits`: the account and the last four digits of its phone, a guess anyone can make: it
   * counts against the account's and the overall window, and a resident other than those already
   * bound waits for one of them to allow it. `phone`: the resident's own number, vouched for by
   * the platform: no window, granted beside those already bound (who are told).
   */
  proof: 'digits' | 'phone';
  /** the customer the try proved; null: a wrong try */
  customer: BoundCustomer | null;
  limits: { perAccount: TryWindow; overall: TryWindow; resident: { max: number; lockUntil: Date } };
  /** a request of this resident for this account made after this instant, still waiting, is answered again instead of asked twice */
  requestsSince: Date;
  /** what the residents already bound to the customer are owed (asked, or told), with this try's BindAttempt id */
  owes(attemptId: number, others: readonly Resident[]): OutboxItem[];
}

export type BindTryOutcome =
  /** too many wrong tries on this account or overall: nothing recorded, try again after `until` */
  | { status: 'limited'; until: Date }
  /** recorded as wrong and counted against the resident (`lockedUntil` when that locked them out) */
  | { status: 'failed'; failures: number; lockedUntil: Date | null }
  | { status: 'bound'; resident: Resident }
  /** the account has other residents: one of them is asked (BindAttempt `attemptId`) */
  | { status: 'waiting'; attemptId: number };

/** A second binding waiting for an answer of a resident already bound to the account. */
export interface BindRequest {
  attemptId: number;
  account: string;
  customer: BoundCustomer;
  requester: Resident;
  at: Date;
}

export interface BindAnswer {
  attemptId: number;
  /** the resident who answered: must be bound to the request's account */
  answererId: number;
  allow: boolean;
  at: Date;
  /** requests made at or before this instant have lapsed */
  expiredBefore: Date;
  /** a refusal counts as a wrong try of the requester */
  requesterLimit: { max: number; lockUntil: Date };
  /** what the requester and the other residents of the account (not the answerer) are owed */
  owes(request: BindRequest, allowed: boolean, others: readonly Resident[]): OutboxItem[];
}

export type BindAnswerOutcome =
  | { status: 'allowed' | 'refused'; request: BindRequest }
  /** allowed or refused already (by this resident or another one of the account) */
  | { status: 'answered' }
  /** lapsed, unknown, or not this resident's to answer */
  | { status: 'expired' };

/**
 * Residents of the bot: meet, bind (with its guess limits per resident, per account and overall,
 * and second bindings confirmed by a resident already bound), locale and address, their own tickets.
 */
export interface ResidentStore {
  /**
   * The resident behind a Telegram user id, registered with `locale` on first contact; a new
   * chat id is kept. Read on every update the bot receives. Two first messages at once register
   * one resident. A resident marked unreachable is reachable again from here: they wrote (or
   * unblocked the bot, which Telegram tells as an update too).
   */
  meet(input: { telegramUserId: string; chatId: string; locale: string }, at: Date): Promise<Resident>;
  byId(id: number): Promise<Resident | null>;
  /**
   * Telegram refused a message to this private chat for good (the resident blocked the bot):
   * marks its resident unreachable at `at`, unless marked already. True when this call marked
   * them. While marked, nothing more is sent to the chat and callbacks go by phone.
   */
  markUnreachable(chatId: string, at: Date): Promise<boolean>;
  /** When the resident of this private chat was marked unreachable; null while reachable (or unknown). */
  unreachableSince(chatId: string): Promise<Date | null>;
  /**
   * Counts one wrong bind try. A lock that has run out (`bindLockedUntil` ≤ `at`) starts a fresh
   * count; reaching `limit` locks the resident until `lockUntil` and clears the count. Returns
   * the count after this try (0 when it locked) and the lock; null when there is no such resident.
   */
  countBindFailure(residentId: number, rule: { at: Date; limit: number; lockUntil: Date }): Promise<{ failures: number; lockedUntil: Date | null } | null>;
  /**
   * One bind try in one transaction, serialised with every other try and answer (so the windows
   * hold under concurrent tries on any instance): the windows checked (digits only), the try
   * recorded (BindAttempt, ok or not), then what it makes: the resident's wrong-try count, the
   * binding, or the request to those already bound, with the messages `owes` returns.
   */
  tryBind(t: BindTry): Promise<BindTryOutcome>;
  /** Allows or refuses a waiting request, once, in one transaction with what it owes. */
  answerBindRequest(a: BindAnswer): Promise<BindAnswerOutcome>;
  /** The request if it still waits (made after `expiredBefore`, neither allowed nor refused). */
  waitingBindRequest(attemptId: number, expiredBefore: Date): Promise<BindRequest | null>;
  /** Links the resident to the customer (its community and address too) and clears the wrong tries. */
  bind(residentId: number, customer: { id: number; communityId: string; address: string }, at: Date): Promise<Resident | null>;
  setLocale(residentId: number, locale: string, at: Date): Promise<Resident | null>;
  /** Notes that the menu keyboard went with a message of the bot's (once: a later call keeps the first time). */
  markMenuShown(residentId: number, at: Date): Promise<void>;
  setAddress(residentId: number, place: { communityId: string; address: string }, at: Date): Promise<Resident | null>;
  /**
   * Keeps the phone number the resident shared (Telegram's contact button, their own) on their
   * row, and as the contact phone of their tickets still waiting in the centre's triage queue
   * without one (a leak filed before its address was known): the centre can call them back. In
   * one transaction; the resident as stored and how many tickets took the number.
   */
  setPhone(residentId: number, phone: string, at: Date): Promise<{ resident: Resident; tickets: number } | null>;
  /**
   * The tickets a resident may follow, newest first: those they reported themselves, and those
   * of their bound customer that no resident reported. Only these statuses when given.
   */
  ownTickets(resident: Pick<Resident, 'id' | 'customerId'>, opts: { statuses?: readonly Status[]; limit: number }): Promise<Ticket[]>;
}
