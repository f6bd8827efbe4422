/**
 * How urgent a city request is: the production classifier's urgency rules read the description
 * for the service's category, as they read a resident's message, and the service's answers
 * raise it (never lower it): a room at or below URGENT_ROOM_TEMPERATURE_C, or a whole building
 * cold, is urgent; a whole community cold is a major event of the primary network; water running
 * outdoors is a burst main.
 */
import { assessUrgency } from '../classify/assess-urgency.js';
import { detectLeak } from '../classify/detect-leak.js';
import { normalizeText } from '../classify/normalize-text.js';
import { readTemperature, URGENT_ROOM_TEMPERATURE_C } from '../classify/read-temperature.js';
import type { Scope, Severity } from '../domain.js';
import type { AttributeValue } from './check-attributes.js';
import type { ServiceDefinition } from './types.js';

const RANK: Record<Severity, number> = { normal: 0, urgent: 1, major: 2 };

export function cityRequestUrgency(
  service: ServiceDefinition,
  description: string,
  answers: Record<string, AttributeValue>,
): { severity: Severity; scope: Scope } {
  // a suggestion or a question is answered, not repaired: its words set no repair clock
  if (service.kind !== 'complaint') return { severity: 'normal', scope: 'secondary' };
  const { text } = normalizeText(description);
  const leak = detectLeak(text);
  const words = assessUrgency({ text, category: service.category, leakWord: leak.found, temperature: readTemperature(text) });
  let severity = words.severity;
  let scope = words.scope;
  const raise = (to: Severity, primary = false) => {
    if (RANK[to] > RANK[severity]) severity = to;
    if (primary) scope = 'primary';
  };
  const a = answers;
  if (typeof a.room_temperature === 'number' && a.room_temperature <= URGENT_ROOM_TEMPERATURE_C) raise('urgent');
  if (a.extent === 'building') raise('urgent');
  if (a.extent === 'community') raise('major', true);
  if (a.water_running === 'yes') raise('urgent');
  if (a.water_running === 'yes' && a.leak_place === 'outdoor') raise('major', true);
  return { severity, scope };
}
