/**
 * A city request's answers to its service's questions (GeoReport v2 attributes), checked against
 * the service definition: what is stored is the validated values, numbers as numbers.
 */
import { AppError } from '../errors.js';
import type { ServiceAttribute, ServiceDefinition } from './types.js';

/** An attribute's value as stored (CityRequest.attributes is the JSON of these). */
export type AttributeValue = string | number | string[];

/** A text answer longer than this is not an answer to a question (a description has its own field). */
const MAX_TEXT_ANSWER = 1000;
const NUMBER = /^-?\d+(?:\.\d+)?$/;

function invalid(a: Pick<ServiceAttribute, 'code'>, message: string): AppError {
  return new AppError('invalid_attribute', `attribute ${a.code}: ${message}`, { attribute: a.code });
}

/**
 * The answers, validated: an unknown code, a value not in the list, a list where one value is
 * asked, or a number out of bounds is invalid_attribute; a required question unanswered is
 * attribute_required. An empty answer (a form's blank field) counts as unanswered.
 */
export function checkAttributes(service: ServiceDefinition, given: Record<string, string | string[]>): Record<string, AttributeValue> {
  for (const code of Object.keys(given)) {
    if (!service.attributes.some((a) => a.code === code)) throw invalid({ code }, `the service ${service.code} does not ask it`);
  }
  const out: Record<string, AttributeValue> = {};
  for (const a of service.attributes) {
    const raw = given[a.code];
    const answered = Array.isArray(raw) ? raw.filter((v) => v !== '') : raw === undefined || raw === '' ? [] : raw;
    if (Array.isArray(answered) && answered.length === 0) {
      if (a.required) throw new AppError('attribute_required', `attribute ${a.code} is required for ${service.code}`, { attribute: a.code });
      continue;
    }
    out[a.code] = answerOf(a, answered);
  }
  return out;
}

function answerOf(a: ServiceAttribute, v: string | string[]): AttributeValue {
  if (a.datatype === 'multivaluelist') {
    const list = Array.isArray(v) ? v : [v];
    for (const x of list) if (!a.values?.includes(x)) throw invalid(a, `${JSON.stringify(x)} is not one of ${a.values?.join(', ')}`);
    return [...new Set(list)];
  }
  if (Array.isArray(v)) throw invalid(a, 'takes one value, not a list');
  switch (a.datatype) {
    case 'singlevaluelist':
      if (!a.values?.includes(v)) throw invalid(a, `${JSON.stringify(v)} is not one of ${a.values?.join(', ')}`);
      return v;
    case 'number': {
      if (!NUMBER.test(v)) throw invalid(a, 'is not a number');
      const n = Number(v);
      if ((a.min !== undefined && n < a.min) || (a.max !== undefined && n > a.max)) throw invalid(a, `must be between ${a.min} and ${a.max}`);
      return n;
    }
    case 'datetime':
      if (Number.isNaN(Date.parse(v))) throw invalid(a, 'is not a date and time');
      return new Date(v).toISOString();
    default:
      if (v.length > MAX_TEXT_ANSWER) throw invalid(a, `is longer than ${MAX_TEXT_ANSWER} characters`);
      return v;
  }
}
