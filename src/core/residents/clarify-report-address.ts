/**
 * A report filed before the bot knew where the resident lives (a leak is filed first, asked
 * after) gets its address. A community the company serves routes it from the centre's triage
 * queue to that community's branch, as the centre would by hand (R8a): its dispatch card, and
 * for an urgent or major case its alert, follow through the outbox. Words that name no community
 * leave it in triage, kept on the ticket and as a note for the centre, who confirm the address by
 * phone: the resident is never asked again and again. A ticket some branch holds already keeps
 * its place and only takes the words as a note.
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { Ticket } from '../model.js';
import type { PlannedStep } from '../ports/ticket-store.js';
import { planMessages } from '../tickets/notify-plan.js';
import { loadForStep, planStep } from '../tickets/transition-ticket.js';

export interface ReportAddress {
  residentId: number;
  /** the ticket the resident reported */
  number: string;
  /** the community the words name; null when they name none we serve */
  communityId: string | null;
  /** the resident's own words for the place */
  address: string;
}

export type ClarifyOutcome =
  /** routed to the community's branch */
  | { outcome: 'dispatched'; ticket: Ticket }
  /** still in the centre's triage queue, with the words for the centre to confirm */
  | { outcome: 'to_centre'; ticket: Ticket }
  /** a branch held it already: the words were added as a note */
  | { outcome: 'noted'; ticket: Ticket };

export async function clarifyReportAddress(core: Core, input: ReportAddress): Promise<ClarifyOutcome> {
  const address = input.address.trim().slice(0, 200);
  if (!address) throw new AppError('validation_failed', 'address: 1 to 200 characters', { field: 'address' });
  if (input.communityId && !core.org.communities.has(input.communityId)) {
    throw new AppError('unknown_community', `community ${input.communityId} is not in the organisation`, { community: input.communityId });
  }
  const loaded = await loadForStep(core, input.number);
  const t = loaded.ticket;
  // someone else's ticket reads as no ticket at all
  if (t.residentId !== input.residentId) throw new AppError('ticket_not_found', `no ticket ${input.number}`, { number: input.number });
  const now = core.clock.now();
  const actor = `resident:${input.residentId}`;
  const community = input.communityId ? core.org.communities.get(input.communityId)! : undefined;

  let step: PlannedStep;
  let outcome: ClarifyOutcome['outcome'];
  if (t.status === 'received' && !t.branchId && community) {
    // the centre's own dispatch step, with the place it was dispatched for; the system routes it by
    // the address the resident gave (the card's history must not read as if the resident dispatched it)
    [step] = planStep(core.org, loaded, { number: t.number, action: 'dispatch', actor: 'system', branchId: community.branchId }, now);
    step.patch = { ...step.patch, communityId: community.id, address };
    step.event.data = { ...step.event.data, communityId: community.id, address, by: 'address', residentId: input.residentId };
    outcome = 'dispatched';
  } else {
    const unplaced = !t.branchId;
    const patch = unplaced && !t.address ? { address } : {};
    const after = { ...t, ...patch };
    step = {
      status: t.status,
      patch,
      event: {
        type: 'note',
        actor,
        fromStatus: null,
        toStatus: null,
        note: address,
        data: { address, ...(community ? { communityId: community.id } : { unmatched: true }), staffPaged: false },
      },
      cancelAlertKinds: [],
      cancelAlertKeys: [],
      alerts: [],
      form: null,
      openCallback: null,
      // in triage the centre sees the words in a fresh triage message; a branch's card takes the note in its thread
      owed: ({ eventId }) => ({
        messages: unplaced
          ? triageAgain(core, t, eventId)
          : planMessages(core.org, { ...after, residentChatId: loaded.residentChatId }, { id: eventId, type: 'note' }),
        alerts: [],
      }),
    };
    outcome = unplaced ? 'to_centre' : 'noted';
  }
  const { ticket } = await core.stores.tickets.applyStep({ ticketId: t.id, version: t.version, steps: [step], at: now });
  return { outcome, ticket } as ClarifyOutcome;
}

function triageAgain(core: Core, t: Ticket, eventId: number) {
  const channel = core.org.config.centre.channels.triage;
  if (!channel) return [];
  return [
    { key: `triage:${t.id}:${eventId}`, platform: 'slack', target: channel, kind: 'triage', payload: { ticketId: t.id, eventId, event: 'note' } } as const,
  ];
}
