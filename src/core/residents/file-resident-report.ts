/**
 * A resident's report through the bot, made into a ticket (R1, R3): a bound resident's ticket
 * carries their heating account and is verified; anyone else's carries the community and flat
 * they gave by hand and is unverified. Complaints and paid-service visits need to know where
 * to go, so they are refused with address_required until the resident has said where they live;
 * questions and suggestions are not. Two exceptions file one without a known place, into the
 * centre's triage queue: a leak, which cannot wait for the question (`addressLater`: the address
 * is asked after and clarifies the ticket, see clarify-report-address), and a place the resident
 * typed that names no community the company serves (`typedAddress`: the centre confirms it).
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { Category, Scope, Severity, TicketKind } from '../domain.js';
import type { Resident, Ticket } from '../model.js';
import { createTicket } from '../tickets/create-ticket.js';
import { openIncidentFor } from '../incidents/open-incident-for.js';

export interface ResidentReport {
  residentId: number;
  kind: TicketKind;
  category: Category;
  severity?: Severity;
  scope?: Scope;
  description: string;
  photos?: string[];
  paidMaterials?: 'company' | 'own';
  topic?: string;
  /** the name the resident goes by on the platform, for an unbound resident */
  contactName?: string;
  /** the resident row the caller already has (the bot reads it for every update): not read again */
  resident?: Resident;
  /** filed at most once per key (see NewTicket.onceKeys) */
  onceKeys?: readonly string[];
  /** the bot will answer with the number itself: the outbox keeps the same answer in reserve (see NewTicket.confirmation) */
  confirmation?: { replyTo?: number; locale: string };
  /** filed without a known place (a leak): the address is asked after and clarifies the ticket */
  addressLater?: boolean;
  /** where the resident said they live, in words that named no community we serve: kept on the ticket for the centre */
  typedAddress?: string;
  /** the resident's message that reported it: their ticket's later updates answer it (the created event keeps it) */
  replyTo?: number;
}

/**
 * How long the outbox holds a filed report's confirmation back while the bot answers by itself.
 * Longer than the bot's own reply takes with its retries of a refused send; short enough that a
 * resident whose report was filed just before the service stopped hears their number within a
 * minute of its return.
 */
export const FILED_REPLY_GRACE_MS = 30_000;

/** Whether a report of this kind needs the resident's flat before it can be filed. */
export function needsAddress(kind: TicketKind): boolean {
  return kind === 'complaint' || kind === 'paid_service';
}

/** Whether the bot knows where the resident lives: a bound account, or a community and flat given by hand. */
export function residentHasAddress(resident: Pick<Resident, 'customerId' | 'communityId' | 'address'>): boolean {
  return resident.customerId !== null || Boolean(resident.communityId && resident.address);
}

/**
 * A flood from one account (a stuck client, a prank, a script) cannot fill the branches'
 * queues: at most this many reports a minute per resident; the resident is told when to try
 * again and given the hotline.
 */
export const RESIDENT_REPORTS_PER_MINUTE = 3;

async function checkFlood(core: Core, residentId: number): Promise<void> {
  const now = core.clock.now();
  const recent = await core.stores.intake.reportsSince(residentId, new Date(now.getTime() - 60_000));
  if (recent.count >= RESIDENT_REPORTS_PER_MINUTE) {
    const until = new Date(recent.first!.getTime() + 60_000);
    throw new AppError('rate_limited', `resident ${residentId} filed ${RESIDENT_REPORTS_PER_MINUTE} reports within a minute`, { residentId, until });
  }
}

export async function fileResidentReport(core: Core, r: ResidentReport): Promise<Ticket> {
  await checkFlood(core, r.residentId);
  const resident = r.resident?.id === r.residentId ? r.resident : await core.stores.residents.byId(r.residentId);
  if (!resident) throw new AppError('not_found', `no resident ${r.residentId}`, { residentId: r.residentId });
  const typed = r.typedAddress?.trim().slice(0, 200);
  if (needsAddress(r.kind) && !residentHasAddress(resident) && !r.addressLater && !typed) {
    throw new AppError('address_required', 'the resident has not said where they live', { residentId: resident.id });
  }
  const bound = resident.customerId ? await core.stores.customers.byId(resident.customerId) : null;
  // a cold flat in a community an open incident covers is that incident's (a leak is not: it is filed as usual)
  const communityId = bound ? bound.communityId : typed ? null : resident.communityId;
  const incident = r.kind === 'complaint' && r.category === 'no_heat' && communityId ? await openIncidentFor(core, communityId) : null;
  return createTicket(core, {
    kind: r.kind,
    category: r.category,
    severity: r.severity,
    scope: r.scope,
    source: 'telegram',
    description: r.description,
    firstResponder: 'telegram',
    residentId: resident.id,
    photos: r.photos,
    paidMaterials: r.paidMaterials,
    topic: r.topic,
    known: { customer: bound, resident },
    onceKeys: r.onceKeys,
    replyTo: r.replyTo,
    incident: incident ?? undefined,
    confirmation: r.confirmation && { ...r.confirmation, chatId: resident.chatId, graceMs: FILED_REPLY_GRACE_MS },
    ...(bound
      ? { customerAccount: bound.account, verified: true }
      : {
          ...(typed ? { address: typed } : { communityId: resident.communityId ?? undefined, address: resident.address ?? undefined }),
          contactName: r.contactName,
          contactPhone: resident.phone ?? undefined,
          verified: false,
        }),
  });
}
