/**
 * The texts of /handbook (R20, R22): the customer handbook, the company's service commitments
 * and the regulations that apply, one plain-text file per section and language that an operator
 * edits (config/handbook/<lang>/<section>.md, or HANDBOOK_DIR). Read once when the bot is built;
 * a missing English file falls back to the Chinese one, a missing section to a line with the
 * hotline. Headings lose their '#'; {hotline}, {emergencyHotline} and {company} come from the
 * organisation file, so a changed hotline needs no edit here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Org } from '../../core/org/org.js';
import { DEFAULT_LOCALE, LOCALES, type Locale } from '../../i18n/index.js';
import { tt } from './context.js';

export const HANDBOOK_SECTIONS = ['handbook', 'commitments', 'regulations'] as const;
export type HandbookSection = (typeof HANDBOOK_SECTIONS)[number];

/** The folder shipped with the service. */
export const DEFAULT_HANDBOOK_DIR = resolve(import.meta.dirname, '../../../config/handbook');

/** The sections as the resident reads them, per language; null where no file was found. */
export type Handbook = Record<Locale, Record<HandbookSection, string | null>>;

function plain(markdown: string, org: Org): string {
  const c = org.config.company;
  const vars: Record<string, string> = { hotline: c.hotline, emergencyHotline: c.emergencyHotline, company: c.name };
  return markdown
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/^#{1,6}\s+/, '').replace(/\*\*(.+?)\*\*/g, '$1'))
    .join('\n')
    .replace(/\{(hotline|emergencyHotline|company)\}/g, (_, k: string) => vars[k])
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Reads every section in every language from `dir` (default: DEFAULT_HANDBOOK_DIR). */
export function loadHandbook(org: Org, dir: string = DEFAULT_HANDBOOK_DIR): Handbook {
  const read = (locale: Locale, section: HandbookSection): string | null => {
    const file = join(dir, locale, `${section}.md`);
    if (!existsSync(file)) return null;
    const text = plain(readFileSync(file, 'utf8'), org);
    return text || null;
  };
  const out = {} as Handbook;
  for (const locale of LOCALES) {
    out[locale] = {} as Record<HandbookSection, string | null>;
    for (const s of HANDBOOK_SECTIONS) out[locale][s] = read(locale, s) ?? (locale === DEFAULT_LOCALE ? null : read(DEFAULT_LOCALE, s));
  }
  return out;
}

/** One section in the resident's language, or the line that says it is not available and gives the hotline. */
export function handbookSection(h: Handbook, org: Org, locale: Locale, section: HandbookSection): string {
  return h[locale][section] ?? tt(locale, 'handbook.missing', { hotline: org.config.company.hotline });
}
