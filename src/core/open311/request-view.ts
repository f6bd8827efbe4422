/**
 * A request as a city platform reads it (CityRequestView), from the row the store read: shared by
 * listing, getting one, and whatever else shows a request (the closing webhook).
 */
import { CATEGORIES, TICKET_KINDS } from '../domain.js';
import type { KindCategory, RequestRow } from '../ports/city-request-reads.js';
import { expectedAtOf, open311StatusOf, statusNoteOf } from './open311-status.js';
import { serviceCodeOf } from './service-catalogue.js';
import type { CityRequestView, ServiceCode } from './types.js';

/** The view of one request. */
export function requestViewOf(row: RequestRow): CityRequestView {
  const { ticket: t, cityRequest: cr } = row;
  return {
    number: t.number,
    serviceCode: serviceCodeOf(t),
    status: open311StatusOf(t.status),
    ticketStatus: t.status,
    statusNote: statusNoteOf(t, row.latestStep),
    branchId: t.branchId,
    requestedAt: t.createdAt,
    updatedAt: t.updatedAt,
    expectedAt: expectedAtOf(t),
    description: t.description,
    communityId: t.communityId,
    address: { address: t.address, building: t.building, unit: t.unit, room: t.room, addressString: cr?.addressString ?? null },
    account: row.account,
    lat: cr?.lat ?? null,
    long: cr?.long ?? null,
    mediaUrl: cr?.mediaUrl ?? null,
    clientId: cr?.clientId ?? null,
    conduct: isConduct(t),
  };
}

/** R31-R33: a complaint about a staff member's conduct, which the public never sees (the store's filter says the same). */
export function isConduct(t: { category: string; conductStaffId: string | null }): boolean {
  return t.category === 'staff_conduct' || t.conductStaffId !== null;
}

/**
 * The kinds and categories of tickets that read as these services (serviceCodeOf turned round),
 * for the store's filter: every kind and category a ticket may have, kept where its service is
 * one asked for, a kind whose every category is kept named once without a category.
 */
export function ticketsOfServices(codes: readonly ServiceCode[]): KindCategory[] {
  const want = new Set<string>(codes);
  const out: KindCategory[] = [];
  for (const kind of TICKET_KINDS) {
    const cats = CATEGORIES.filter((category) => want.has(serviceCodeOf({ kind, category })));
    if (cats.length === CATEGORIES.length) out.push({ kind });
    else for (const category of cats) out.push({ kind, category });
  }
  return out;
}
