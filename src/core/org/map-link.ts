/**
 * Where a point is, as a link a person opens (OpenStreetMap, which needs no key and no account):
 * a resident's shared location in the card's thread, a city platform's point on its card and on
 * the dashboard. Undefined for a point that is not a pair of finite numbers.
 */
export function mapUrl(lat: number | null | undefined, lon: number | null | undefined): string | undefined {
  if (typeof lat !== 'number' || typeof lon !== 'number' || !Number.isFinite(lat) || !Number.isFinite(lon)) return undefined;
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=17/${lat}/${lon}`;
}
