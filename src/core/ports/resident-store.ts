import type { Status } from '../tickets/status-machine.js';
import type { Resident, Ticket } from '../model.js';

/** Residents of the bot: meet, bind (with its guess limit), locale and address, their own tickets. */
export interface ResidentStore {
  /**
   * The resident behind a Telegram user id, registered with `locale` on first contact; a new
   * chat id is kept. Read on every update the bot receives. Two first messages at once register
   * one resident.
   */
  meet(input: { telegramUserId: string; chatId: string; locale: string }, at: Date): Promise<Resident>;
  byId(id: number): Promise<Resident | null>;
  /**
   * Counts one wrong bind try. A lock that has run out (`bindLockedUntil` ≤ `at`) starts a fresh
   * count; reaching `limit` locks the resident until `lockUntil` and clears the count. Returns
   * the count after this try (0 when it locked) and the lock; null when there is no such resident.
   */
  countBindFailure(residentId: number, rule: { at: Date; limit: number; lockUntil: Date }): Promise<{ failures: number; lockedUntil: Date | null } | null>;
  /** Links the resident to the customer (its community and address too) and clears the wrong tries. */
  bind(residentId: number, customer: { id: number; communityId: string; address: string }, at: Date): Promise<Resident | null>;
  setLocale(residentId: number, locale: string, at: Date): Promise<Resident | null>;
  setAddress(residentId: number, place: { communityId: string; address: string }, at: Date): Promise<Resident | null>;
  /**
   * The tickets a resident may follow, newest first: those they reported themselves, and those
   * of their bound customer that no resident reported. Only these statuses when given.
   */
  ownTickets(resident: Pick<Resident, 'id' | 'customerId'>, opts: { statuses?: readonly Status[]; limit: number }): Promise<Ticket[]>;
}
