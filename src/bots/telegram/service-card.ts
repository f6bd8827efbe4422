/**
 * R22: service cards carry the hotline number and the services offered. Every message that
 * finishes something for a resident (the result of a repair, the close, the rating's thanks, a
 * suggestion's answer) ends with this one line, with the organisation's hotline.
 */
import type { Org } from '../../core/org/org.js';
import type { Locale } from '../../i18n/index.js';
import { tt } from './context.js';

export function serviceCardLine(org: Org, locale: Locale | string): string {
  return tt(locale, 'handbook.service_card', { hotline: org.config.company.hotline });
}
