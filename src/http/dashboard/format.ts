/** How KPI numbers, branches and periods read, shared by the JSON/CSV API and the dashboard pages. */
import { describePeriod, type Period } from '../../core/kpi/period.js';
import { percentFloor } from '../../core/kpi/rate.js';
import type { Org } from '../../core/org/org.js';
import { t, type Locale } from '../../i18n/index.js';

/** 97.5% — or — when there was nothing to measure. */
export function percentText(rate: number | null): string {
  const p = percentFloor(rate);
  return p === null ? '—' : `${p}%`;
}

/** A branch by name in the reader's language; null is the centre (not yet dispatched, or a conduct complaint it investigates). */
export function branchName(org: Org, branchId: string | null, locale: Locale): string {
  if (branchId === null) return t(locale, 'kpi.centre');
  const b = org.branches.get(branchId);
  if (!b) return branchId;
  return locale === 'en' ? (b.nameEn ?? b.name) : b.name;
}

export function periodLabel(locale: Locale, p: Period): string {
  return t(locale, `kpi.period.${p.kind}`, describePeriod(p));
}

type Cell = string | number | null | undefined;

/**
 * One CSV field. Text that a spreadsheet would run as a formula (=, +, -, @ first) gets a
 * leading apostrophe: residents' words go into these files.
 */
export function csvField(v: Cell): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** UTF-8 with a byte-order mark and CRLF lines: what Excel and WPS open with Chinese intact. */
export function csvBytes(rows: Cell[][]): Buffer {
  const text = `${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}

/** attachment; filename="kpi-2026-11-01_2026-11-30.csv" */
export function attachment(name: string): string {
  return `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"`;
}
