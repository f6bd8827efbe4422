/**
 * How a ticket reads to a city platform (Open311 GeoReport v2): open or closed, the latest step
 * as a status note, and the time it may expect the next thing to happen. Pure: the use cases
 * (list-city-requests.ts, list-request-updates.ts) read the rows and call these.
 */
import type { TicketEvent } from '../model.js';
import type { Status } from '../tickets/status-machine.js';
import type { Open311Status, StatusNote } from './types.js';

/**
 * The statuses a city platform reads as closed. For a city platform the work is done when the
 * branch replied with the result (resolved); the company's own callback to the resident follows
 * on its side (callback, closed). A withdrawn request (cancelled, duplicate) is closed too.
 */
export const OPEN311_CLOSED: readonly Status[] = ['resolved', 'callback', 'closed', 'cancelled', 'duplicate'];

/** Open311's status of a ticket's status. */
export function open311StatusOf(status: Status | string): Open311Status {
  return (OPEN311_CLOSED as readonly string[]).includes(status) ? 'closed' : 'open';
}

/**
 * Steps that say more than the status they lead to: a transfer (dispatched again, to another
 * branch), a reopen (dispatched again, after a result), a link to an outage incident (accepted,
 * by the incident's branch). The status note names the step rather than the status.
 */
export const TELLING_STEPS = ['transferred', 'reopened', 'linked'] as const;
export type TellingStep = (typeof TELLING_STEPS)[number];

const isTelling = (type: string): type is TellingStep => (TELLING_STEPS as readonly string[]).includes(type);

/**
 * Whether an event is a step a city platform follows: it changed the ticket's status, or it is a
 * telling step (which may leave the status as it was: a transfer of a dispatched ticket). Events
 * that keep the status (notes, escalations, routing within a branch) are not. The store writes
 * the same rule in SQL (db/stores/city-request-reads.ts).
 */
export function isStatusStep(e: Pick<TicketEvent, 'type' | 'fromStatus' | 'toStatus'>): boolean {
  if (e.toStatus === null) return false;
  return e.fromStatus === null || e.fromStatus !== e.toStatus || isTelling(e.type);
}

type Data = { branchId?: unknown; number?: unknown };

function dataOf(e: Pick<TicketEvent, 'data'>): Data {
  if (!e.data) return {};
  try {
    const d = JSON.parse(e.data) as unknown;
    return d && typeof d === 'object' ? (d as Data) : {};
  } catch {
    return {};
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/**
 * The note of one step (the updates feed): the telling step's name, else the status it led to.
 * The branch is the one the step names (a dispatch, a transfer), else the ticket's branch now.
 */
export function noteOfStep(e: Pick<TicketEvent, 'type' | 'toStatus' | 'at' | 'data'>, branchNow: string | null): StatusNote {
  const data = dataOf(e);
  const code = isTelling(e.type) ? e.type : (e.toStatus ?? e.type);
  const note: StatusNote = { code, branchId: str(data.branchId) ?? branchNow, at: e.at };
  if (e.type === 'linked') note.incidentNumber = str(data.number);
  return note;
}

/**
 * The status note of a ticket: its status, or its latest step when that step is a telling one
 * and still stands (the ticket is in the status it led to). `at` is that step's time.
 */
export function statusNoteOf(t: { status: Status; branchId: string | null; createdAt: Date }, latest: TicketEvent | null): StatusNote {
  if (!latest) return { code: t.status, branchId: t.branchId, at: t.createdAt };
  if (isTelling(latest.type) && latest.toStatus === t.status) return noteOfStep(latest, t.branchId);
  return { code: t.status, branchId: t.branchId, at: latest.at };
}

/**
 * expected_datetime: the next deadline not yet met, from the ticket's due columns (the running
 * generation's: a reopen or a transfer to another branch starts them again). On site while nobody
 * has arrived, else repaired; none once the request is closed for the city.
 */
export function expectedAtOf(t: { status: Status; arrivedAt: Date | null; arriveDueAt: Date | null; resolveDueAt: Date | null }): Date | null {
  if (open311StatusOf(t.status) === 'closed') return null;
  if (t.arrivedAt === null && t.arriveDueAt !== null) return t.arriveDueAt;
  return t.resolveDueAt;
}
