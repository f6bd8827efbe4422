import { KIND_LETTER, type TicketKind } from '../domain.js';
import { localDateKey } from '../local-time.js';

/**
 * Human ticket numbers, T20261128-0042: kind letter, local date, the day's sequence. The
 * sequence is a counter row per kind and day, drawn in the filing's own transaction (the intake
 * store), so a filing that fails or is refused uses no number and the day's numbers have no gaps.
 */

/** The counter a ticket of this kind filed at `at` draws from: T20261128. */
export function counterKey(kind: TicketKind, at: Date): string {
  return `${KIND_LETTER[kind]}${localDateKey(at)}`;
}

/** The number of the `n`th ticket of a counter: T20261128-0042. */
export function ticketNumber(counter: string, n: number): string {
  return `${counter}-${String(n).padStart(4, '0')}`;
}
