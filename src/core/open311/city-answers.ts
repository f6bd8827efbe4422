/**
 * A city request's stored answers (CityRequest.attributes) as the staff's views word them: in
 * the order its service asks the questions, each with its question's definition (undefined for
 * a code the service no longer asks), so a list's value can be named from locales.
 */
import type { CityRequest } from '../model.js';
import type { AttributeValue } from './check-attributes.js';
import { serviceByCode } from './service-catalogue.js';
import type { ServiceAttribute } from './types.js';

export interface CityAnswer {
  code: string;
  attribute: ServiceAttribute | undefined;
  value: AttributeValue;
}

/** The answers in question order; a row that is not a JSON object (written by hand) has none rather than breaking a card. */
export function cityAnswers(cr: Pick<CityRequest, 'serviceCode' | 'attributes'>): CityAnswer[] {
  let stored: unknown;
  try {
    stored = JSON.parse(cr.attributes);
  } catch {
    return [];
  }
  if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return [];
  const questions = serviceByCode(cr.serviceCode)?.attributes ?? [];
  const order = (code: string) => questions.find((a) => a.code === code)?.order ?? Number.MAX_SAFE_INTEGER;
  return Object.entries(stored as Record<string, AttributeValue>)
    .sort(([x], [y]) => order(x) - order(y))
    .map(([code, value]) => ({ code, attribute: questions.find((a) => a.code === code), value }));
}

/** Whether an answer is the service's own words (a number, or values of its list) rather than the platform's free text. */
export function isListedAnswer(a: CityAnswer): boolean {
  if (typeof a.value === 'number') return true;
  const values = a.attribute?.values;
  const list = Array.isArray(a.value) ? a.value : [a.value];
  return !!values && list.every((v) => values.includes(v));
}
