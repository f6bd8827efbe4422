/**
 * A staff member writes to the resident of a ticket (from the card's Slack thread or its reply
 * modal). Stored as a `staff_reply` event with the words as the resident reads them, and owed to
 * the resident's Telegram chat through the outbox in the same transaction (`staff_reply`). A
 * reply from the modal also owes the card a thread line, so the branch sees what was said; a
 * thread reply is in the thread already.
 *
 * Refused, with nothing stored: someone who may not act on the ticket (forbidden), a closed,
 * cancelled or duplicate ticket (ticket_closed: the conversation is over, a new report opens a
 * new one), a ticket with no Telegram resident behind it, e.g. one taken by phone
 * (resident_unreachable), empty words (validation_failed), and words past REPLY_MAX_CHARS
 * (reply_too_long): a reply that long is a document, not a message, and relaying it in many
 * parts would flood an elderly resident's chat; staff are told the limit and can shorten it.
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import { outboxRow, type OutboxRow } from '../outbox/enqueue.js';
import type { Staff } from '../org/types.js';
import { assertCanAct } from '../staff/can-act.js';
import type { Status } from './status-machine.js';

/** Longest reply relayed, in characters: one Telegram message (4,096) with room for its heading. */
export const REPLY_MAX_CHARS = 3500;

/** Tickets whose conversation is over. */
const ENDED: readonly Status[] = ['closed', 'cancelled', 'duplicate'];

export interface StaffReplyInput {
  number: string;
  staff: Staff | undefined;
  /** the words as the resident reads them (Slack markup already made plain by the transport) */
  text: string;
  via: 'thread' | 'modal';
  /** the Slack message it came from (thread replies), kept for the audit trail */
  sourceTs?: string;
}

export async function replyToResident(core: Core, input: StaffReplyInput): Promise<{ eventId: number; ticketId: number }> {
  const text = input.text.trim();
  const view = await core.stores.views.ticketView({ number: input.number.trim().toUpperCase() });
  if (!view) throw new AppError('ticket_not_found', `no ticket ${input.number}`, { number: input.number });
  const t = view.ticket;
  assertCanAct(core.org, input.staff, t, 'step');
  if (ENDED.includes(t.status)) throw new AppError('ticket_closed', `ticket ${t.number} is ${t.status}`, { number: t.number, status: t.status });
  if (!text) throw new AppError('validation_failed', 'text: must not be empty', { field: 'text' });
  if (text.length > REPLY_MAX_CHARS)
    throw new AppError('reply_too_long', `text: ${text.length} characters, at most ${REPLY_MAX_CHARS}`, { length: text.length, max: REPLY_MAX_CHARS });
  const resident = t.residentId !== null ? await core.stores.residents.byId(t.residentId) : null;
  if (!resident?.chatId) throw new AppError('resident_unreachable', `ticket ${t.number} has no Telegram resident`, { number: t.number });

  const now = core.clock.now();
  const staff = input.staff!;
  const branch = t.branchId ? core.org.branches.get(t.branchId) : undefined;
  const owes = (eventId: number): OutboxRow[] => {
    const payload = { ticketId: t.id, eventId, event: 'staff_reply' };
    const rows = [outboxRow({ key: `reply:${t.id}:${eventId}`, platform: 'telegram', target: resident.chatId, kind: 'staff_reply', payload }, now)];
    if (input.via === 'modal' && branch?.channels.dispatch) {
      rows.push(outboxRow({ key: `card:${t.id}:${eventId}`, platform: 'slack', target: branch.channels.dispatch, kind: 'ticket_card', payload }, now));
    }
    return rows;
  };
  const eventId = await core.stores.intake.addNote({
    ticketId: t.id,
    event: {
      at: now,
      type: 'staff_reply',
      actor: `staff:${staff.id}`,
      fromStatus: null,
      toStatus: null,
      note: text,
      data: JSON.stringify({ via: input.via, ...(input.sourceTs ? { ts: input.sourceTs } : {}) }),
    },
    owes,
  });
  return { eventId, ticketId: t.id };
}
