/**
 * The services a city platform may file through Open311: one per category a complaint can have,
 * and one each for a suggestion and a consultation. Codes and data only: each service's name,
 * description, keywords and group name, and each attribute's question and value names, are in
 * locales (open311.*), worded by the HTTP layer.
 */
import type { Category, TicketKind } from '../domain.js';
import type { ServiceAttribute, ServiceCode, ServiceDefinition } from './types.js';

/** No heat: how cold the room is, and how far the cold reaches (both raise the ticket's severity, never lower it). */
const NO_HEAT_ATTRIBUTES: readonly ServiceAttribute[] = [
  // °C; a room at or below URGENT_ROOM_TEMPERATURE_C (read-temperature.ts) makes the ticket urgent, as the words "12度" do
  { code: 'room_temperature', datatype: 'number', required: false, order: 1, min: -30, max: 40 },
  { code: 'extent', datatype: 'singlevaluelist', required: false, order: 2, values: ['flat', 'building', 'community'] },
];

/** A leak: whether water is still running decides how fast someone must be there. */
const LEAK_ATTRIBUTES: readonly ServiceAttribute[] = [
  { code: 'water_running', datatype: 'singlevaluelist', required: true, order: 1, values: ['yes', 'no'] },
  { code: 'leak_place', datatype: 'singlevaluelist', required: false, order: 2, values: ['indoor', 'stairwell', 'outdoor'] },
];

const complaint = (code: Category & ServiceCode, group: string, attributes: readonly ServiceAttribute[] = []): ServiceDefinition => ({
  code,
  kind: 'complaint',
  category: code,
  group,
  attributes,
});

/** Every service, in the order the service list shows them (one per SERVICE_CODES entry). */
export const SERVICES: readonly ServiceDefinition[] = [
  complaint('no_heat', 'repair', NO_HEAT_ATTRIBUTES),
  complaint('leak', 'repair', LEAK_ATTRIBUTES),
  complaint('noise_pressure', 'repair'),
  complaint('billing', 'billing'),
  complaint('staff_conduct', 'service'),
  complaint('other', 'service'),
  { code: 'suggestion', kind: 'suggestion', category: 'other', group: 'suggestion', attributes: [] },
  { code: 'consultation', kind: 'consultation', category: 'other', group: 'consultation', attributes: [] },
];

const BY_CODE = new Map<string, ServiceDefinition>(SERVICES.map((s) => [s.code, s]));

/** The service with this code, or undefined for a code the catalogue does not have. */
export function serviceByCode(code: string): ServiceDefinition | undefined {
  return BY_CODE.get(code);
}

/**
 * The service a ticket filed by any channel reads as: a complaint by its category, a suggestion
 * or consultation by its kind; paid work (not a service a city platform files) reads as other.
 */
export function serviceCodeOf(ticket: { kind: TicketKind; category: Category }): ServiceCode {
  if (ticket.kind === 'suggestion' || ticket.kind === 'consultation') return ticket.kind;
  if (ticket.kind === 'paid_service') return 'other';
  return ticket.category;
}
