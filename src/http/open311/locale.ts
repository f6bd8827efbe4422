/**
 * The language of an Open311 answer (names, notes, notices, error descriptions): the `locale`
 * parameter (query or form), else the first language of Accept-Language we speak, else zh-CN.
 */
import type { FastifyRequest } from 'fastify';
import { DEFAULT_LOCALE, type Locale } from '../../i18n/index.js';

/** zh, zh-CN, zh-Hans-CN -> zh-CN; en, en-GB -> en; anything else: none. */
function spoken(tag: string): Locale | null {
  const l = tag.trim().toLowerCase();
  if (l === 'zh' || l.startsWith('zh-')) return 'zh-CN';
  if (l === 'en' || l.startsWith('en-')) return 'en';
  return null;
}

/** The best language of an Accept-Language header we speak, by its q weights (ties: the order given). */
export function fromAcceptLanguage(header: string | undefined): Locale | null {
  if (!header) return null;
  const ranked = header
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((x) => x !== undefined);
      return { locale: spoken(tag), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((x) => x.locale && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return ranked[0]?.locale ?? null;
}

export function localeOf(req: FastifyRequest): Locale {
  const param = (o: unknown) => (o && typeof o === 'object' ? (o as Record<string, unknown>).locale : undefined);
  const asked = param(req.query) ?? param(req.body);
  if (typeof asked === 'string') {
    const l = spoken(asked);
    if (l) return l;
  }
  return fromAcceptLanguage(req.headers['accept-language']) ?? DEFAULT_LOCALE;
}
