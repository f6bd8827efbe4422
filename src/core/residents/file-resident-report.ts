/**
 * A resident's report through the bot, made into a ticket (R1, R3): a bound resident's ticket
 * carries their heating account and is verified; anyone else's carries the community and flat
 * they gave by hand and is unverified. Complaints and paid-service visits need to know where
 * to go, so they are refused with address_required until the resident has said where they live;
 * questions and suggestions are not.
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { Category, Scope, Severity, TicketKind } from '../domain.js';
import { createTicket } from '../tickets/create-ticket.js';
import { Params, toDate } from '../../db/sql.js';
import { customerById } from '../../db/fast-reads.js';
import { sqliteDirect } from '../../db/sqlite-direct.js';
import { pgDirectOf } from '../../db/pg-direct.js';
import type { Resident, Ticket } from '../../db/generated/sqlite/client.js';

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
  /** filed at most once per key (see NewTicket.onceKey) */
  onceKey?: string;
}

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
 * again and given the hotline (issue 8).
 */
export const RESIDENT_REPORTS_PER_MINUTE = 3;

async function checkFlood(core: Core, residentId: number): Promise<void> {
  const now = core.clock.now();
  const since = new Date(now.getTime() - 60_000);
  const direct = sqliteDirect(core.db);
  const p = new Params(core.provider);
  const sql = `SELECT COUNT(*) AS "n", MIN("createdAt") AS "first" FROM "Ticket" WHERE "residentId" = ${p.add(residentId)} AND "createdAt" > ${p.add(since)}`;
  const rows = direct ? [direct.stmt(sql).get(...p.values) as { n: number; first: unknown }] : await pgDirectOf(core.db).query<{ n: number; first: unknown }>(sql, p.values);
  if (Number(rows[0]?.n ?? 0) >= RESIDENT_REPORTS_PER_MINUTE) {
    const until = new Date(toDate(rows[0].first)!.getTime() + 60_000);
    throw new AppError('rate_limited', `resident ${residentId} filed ${RESIDENT_REPORTS_PER_MINUTE} reports within a minute`, { residentId, until });
  }
}

export async function fileResidentReport(core: Core, r: ResidentReport): Promise<Ticket> {
  await checkFlood(core, r.residentId);
  const resident = r.resident?.id === r.residentId ? r.resident : await core.db.resident.findUnique({ where: { id: r.residentId } });
  if (!resident) throw new AppError('not_found', `no resident ${r.residentId}`, { residentId: r.residentId });
  if (needsAddress(r.kind) && !residentHasAddress(resident)) {
    throw new AppError('address_required', 'the resident has not said where they live', { residentId: resident.id });
  }
  const bound = resident.customerId ? await customerById(core.db, resident.customerId) : null;
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
    onceKey: r.onceKey,
    ...(bound
      ? { customerAccount: bound.account, verified: true }
      : { communityId: resident.communityId ?? undefined, address: resident.address ?? undefined, contactName: r.contactName, verified: false }),
  });
}
