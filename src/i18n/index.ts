/**
 * Every word a resident or staff member reads comes from locales/<lang>/<namespace>.json
 * (zh-CN first, en complete). Keys are "<namespace>.<key>", e.g. t('en', 'telegram.greeting').
 * Placeholders are {name}; a missing key falls back to zh-CN, then shows the key itself.
 * A file's name is its keys' prefix, dots included: locales/zh-CN/telegram.followup.json holds
 * the keys telegram.followup.*, so a feature can keep its words in a file of its own.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';
export const LOCALES_DIR = resolve(import.meta.dirname, '../../locales');

type Messages = Map<string, string>;

function flatten(prefix: string, obj: Record<string, unknown>, out: Messages): void {
  for (const [k, v] of Object.entries(obj)) {
    const key = `${prefix}.${k}`;
    if (typeof v === 'string') out.set(key, v);
    else if (v && typeof v === 'object') flatten(key, v as Record<string, unknown>, out);
  }
}

export function loadLocale(locale: Locale, dir = LOCALES_DIR): Messages {
  const out: Messages = new Map();
  const folder = join(dir, locale);
  for (const f of readdirSync(folder)
    .filter((n) => n.endsWith('.json'))
    .sort()) {
    flatten(basename(f, '.json'), JSON.parse(readFileSync(join(folder, f), 'utf8')), out);
  }
  return out;
}

const catalogs = new Map<Locale, Messages>(LOCALES.map((l) => [l, loadLocale(l)]));

export function asLocale(s: string | null | undefined): Locale {
  if (!s) return DEFAULT_LOCALE;
  if ((LOCALES as readonly string[]).includes(s)) return s as Locale;
  return s.toLowerCase().startsWith('zh') ? 'zh-CN' : s.toLowerCase().startsWith('en') ? 'en' : DEFAULT_LOCALE;
}

export type Vars = Record<string, string | number | null | undefined>;

export function t(locale: Locale | string, key: string, vars: Vars = {}): string {
  const l = asLocale(locale);
  const text = catalogs.get(l)!.get(key) ?? catalogs.get(DEFAULT_LOCALE)!.get(key) ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (vars[name] === undefined || vars[name] === null ? m : String(vars[name])));
}

/** Whether a key exists (for optional texts such as FAQ entries). */
export function has(locale: Locale | string, key: string): boolean {
  return catalogs.get(asLocale(locale))!.has(key);
}

/** All keys of a namespace prefix, e.g. keys('zh-CN', 'telegram.faq.') */
export function keys(locale: Locale | string, prefix: string): string[] {
  return [...catalogs.get(asLocale(locale))!.keys()].filter((k) => k.startsWith(prefix));
}

/** The customer's whole wait (a KPI) as hours and minutes; a dash when nothing was finished. */
export function waitText(locale: Locale | string, minutes: number | null): string {
  return minutes === null ? '—' : t(locale, 'kpi.wait', { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
}
