/**
 * Where a city request is: the heating account it names (address_id), else the community nearest
 * its point (lat/long), else the community its address text names. Nothing matched leaves the
 * ticket without a community: it goes to the centre's triage queue, as a hotline report with an
 * unknown address does, its address text kept on the ticket.
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { Customer } from '../model.js';
import { distanceKm, nearestCommunity } from '../org/nearest-community.js';
import type { Org } from '../org/org.js';
import { extractHints } from '../classify/extract-hints.js';
import { normalizeText } from '../classify/normalize-text.js';

export interface CityLocation {
  addressString?: string;
  lat?: number;
  long?: number;
  addressId?: string;
}

/** What the ticket is given about its place; the customer's own address when the account was named. */
export interface Located {
  customer: Customer | null;
  communityId?: string;
  address?: string;
  building?: string;
  unit?: string;
  room?: string;
}

/** The shape of a location before anything is read: both halves of a point or neither, on the globe, and some location at all. */
export function checkLocation(l: CityLocation): void {
  const bad = (field: string, message: string) => new AppError('validation_failed', `${field}: ${message}`, { field });
  if ((l.lat === undefined) !== (l.long === undefined)) throw l.lat === undefined ? bad('lat', 'is required with long') : bad('long', 'is required with lat');
  if (l.lat !== undefined && (!Number.isFinite(l.lat) || l.lat < -90 || l.lat > 90)) throw bad('lat', 'must be between -90 and 90');
  if (l.long !== undefined && (!Number.isFinite(l.long) || l.long < -180 || l.long > 180)) throw bad('long', 'must be between -180 and 180');
  if (!l.addressString && l.lat === undefined && !l.addressId) {
    throw new AppError('location_required', 'a request needs address_string, lat and long, or address_id', {});
  }
}

/**
 * A point farther than the organisation's service area from every community with coordinates is
 * not ours to fix. An organisation file with no coordinates cannot tell, and takes the point.
 */
export function checkServiceArea(org: Org, at: { lat: number; lon: number }): void {
  const limitKm = org.config.open311.serviceAreaKm;
  let nearest = Number.POSITIVE_INFINITY;
  for (const c of org.config.communities)
    if (c.lat !== undefined && c.lon !== undefined) nearest = Math.min(nearest, distanceKm(at, { lat: c.lat, lon: c.lon }));
  if (nearest !== Number.POSITIVE_INFINITY && nearest > limitKm) {
    throw new AppError('outside_service_area', `the point is ${nearest.toFixed(1)} km from the nearest community served (at most ${limitKm} km)`, {
      km: Math.round(nearest * 10) / 10,
      limitKm,
    });
  }
}

/** The request's place, checked (checkLocation and checkServiceArea first). An account not on file is customer_not_found. */
export async function locateCityRequest(core: Core, l: CityLocation): Promise<Located> {
  if (l.addressId) {
    const customer = await core.stores.customers.byAccount(l.addressId);
    if (!customer) throw new AppError('customer_not_found', `no customer with account ${l.addressId}`, { account: l.addressId });
    // the account's own community and flat; the platform's address text stays on the CityRequest row
    return { customer };
  }
  const hints = l.addressString ? extractHints(normalizeText(l.addressString).text, core.org.config.communities) : {};
  const near = l.lat !== undefined && l.long !== undefined ? nearestCommunity(core.org, { lat: l.lat, lon: l.long }) : null;
  return {
    customer: null,
    communityId: near?.id ?? hints.communityId,
    address: l.addressString,
    building: hints.building,
    unit: hints.unit,
    room: hints.room,
  };
}
