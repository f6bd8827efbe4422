/**
 * A resident's answer to 暖气恢复了吗？ under the heat-back notice of an incident (R8h: every closed
 * complaint is called back). Back: the callback of their linked report goes on as the usual
 * rating question (the same 满意 / 基本满意 / 不满意 question a heating repair asks after "warm now");
 * a resident who never reported is thanked. Still cold: their linked report is reopened to the
 * branch (R30) as an ordinary no-heat ticket with its own clock and card, since the incident is
 * over; for a resident who never reported, a no-heat report is filed for them now.
 * Each answer changes things once: a second tap, or a tap on the notice of an older incident,
 * is refused with already_answered and nothing is stored or owed again.
 */
import type { Core } from '../context.js';
import { AppError, isAppError } from '../errors.js';
import type { Resident, Ticket } from '../model.js';
import { fileResidentReport } from '../residents/file-resident-report.js';
import { askRating } from '../tickets/ask-rating.js';
import { recordCallback } from '../tickets/record-callback.js';

export interface RestoreCheckAnswer {
  incidentId: number;
  residentId: number;
  /** the chat the rating question goes to */
  chatId: string;
  /** true: heating is back; false: still cold */
  back: boolean;
  /** the words stored with a "still cold" (the reopen's comment, or the filed report's description), in the resident's language */
  coldReason: string;
  /** the language of the answer a filed report owes (its number, see ResidentReport.confirmation) */
  locale: string;
  /** the notice the resident answered: a report filed for them answers it */
  replyTo?: number;
}

export type RestoreCheckOutcome =
  /** back, with a linked report: its rating question is owed (callback_question, key cbq:<callback>) */
  | { outcome: 'rating'; ticket: Ticket }
  /** back, and nothing reported: thanks is all */
  | { outcome: 'thanked' }
  /** back, and their report is among those the centre calls back by phone (incidents.phoneSample): the call rates it */
  | { outcome: 'phone'; ticket: Ticket }
  /** still cold: the linked report went back to its branch */
  | { outcome: 'reopened'; ticket: Ticket }
  /** still cold, nothing reported: a no-heat report filed now */
  | { outcome: 'filed'; ticket: Ticket };

/** How many of the resident's newest tickets are looked through for the one linked to the incident. */
const OWN_TICKETS_READ = 20;

/** The once-key of the report a "still cold" files for a resident who had not reported: a second tap files nothing. */
export function stillColdKey(incidentId: number, residentId: number): string {
  return `incident:${incidentId}:still_cold:${residentId}`;
}

export async function answerRestoreCheck(core: Core, a: RestoreCheckAnswer): Promise<RestoreCheckOutcome> {
  const [incident, resident] = await Promise.all([core.stores.incidents.byId(a.incidentId), core.stores.residents.byId(a.residentId)]);
  if (!incident || !resident) throw new AppError('not_found', `no incident ${a.incidentId} for resident ${a.residentId}`, { incidentId: a.incidentId });
  if (incident.status !== 'restored') {
    throw new AppError('invalid_transition', `incident ${incident.number} is not restored`, { from: incident.status, action: 'answer_restore_check' });
  }
  const ticket = await linkedTicketOf(core, resident, incident.id);
  if (ticket) return answerForTicket(core, a, ticket);
  if (a.back) return { outcome: 'thanked' };
  try {
    const filed = await fileResidentReport(core, {
      residentId: resident.id,
      resident,
      kind: 'complaint',
      category: 'no_heat',
      description: a.coldReason,
      onceKeys: [stillColdKey(incident.id, resident.id)],
      replyTo: a.replyTo,
      confirmation: { replyTo: a.replyTo, locale: a.locale },
    });
    return { outcome: 'filed', ticket: filed };
  } catch (e) {
    if (isAppError(e, 'already_filed')) throw new AppError('already_answered', `resident ${resident.id} answered still cold for ${incident.number}`, {});
    throw e;
  }
}

/** The resident's own report linked to the incident (a phone ticket of their account is called back by phone). */
async function linkedTicketOf(core: Core, resident: Resident, incidentId: number): Promise<Ticket | null> {
  const own = await core.stores.residents.ownTickets(resident, { limit: OWN_TICKETS_READ });
  return own.find((t) => t.incidentId === incidentId && t.residentId === resident.id) ?? null;
}

async function answerForTicket(core: Core, a: RestoreCheckAnswer, ticket: Ticket): Promise<RestoreCheckOutcome> {
  const view = await core.stores.views.ticketView({ id: ticket.id });
  const pending = view?.callbacks.find((c) => c.status === 'pending');
  if (!pending) throw new AppError('already_answered', `ticket ${ticket.number} has no callback waiting`, { number: ticket.number });
  // the centre's phone call asks the rating of a sampled report; a second question in the bot would ask it twice
  if (a.back && pending.channel === 'phone') return { outcome: 'phone', ticket };
  if (a.back) {
    await askRating(core, { callbackId: pending.id, residentId: a.residentId, chatId: a.chatId });
    return { outcome: 'rating', ticket };
  }
  const out = await recordCallback(core, {
    callbackId: pending.id,
    actor: `resident:${a.residentId}`,
    reached: true,
    satisfaction: 'dissatisfied',
    comment: a.coldReason,
  });
  return { outcome: 'reopened', ticket: out.ticket };
}
