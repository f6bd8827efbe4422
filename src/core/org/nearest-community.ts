/**
 * The community nearest to a point a resident shared (Telegram's location), when the
 * organisation file gives communities coordinates (`lat`, `lon`; optional). Within `withinKm`
 * only: a point far from every community served says nothing about where the resident lives.
 */
import type { Org } from './org.js';

export const NEAREST_COMMUNITY_KM = 2;

/** Great-circle distance in kilometres (haversine; the city is small, any formula would do). */
export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

export function nearestCommunity(org: Org, at: { lat: number; lon: number }, withinKm = NEAREST_COMMUNITY_KM): { id: string; name: string; km: number } | null {
  let best: { id: string; name: string; km: number } | null = null;
  for (const c of org.config.communities) {
    if (c.lat === undefined || c.lon === undefined) continue;
    const km = distanceKm(at, { lat: c.lat, lon: c.lon });
    if (km <= withinKm && (!best || km < best.km)) best = { id: c.id, name: c.name, km };
  }
  return best;
}
