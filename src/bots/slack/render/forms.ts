/**
 * /forms (R8l): the service forms whose HQ copy is not back half a month after the service, a
 * page at a time (the total counts them all), each with a "back at HQ" button for those who may mark it,
 * Prev/Next, and the bulk marking of a branch's bundle. Also the half-monthly report's words.
 */
import { formatMinute, localIsoDate } from '../../../core/local-time.js';
import type { FormsPage } from '../../../core/forms/list-forms.js';
import { actions, button, context, esc, header, section, type Block } from './blocks.js';
import { branchName, tr, type RenderCtx } from './names.js';
import type { ReportPayload } from './alerts.js';

export const FORMS_ACTION = { returned: 'forms.returned', page: 'forms.page', bulk: 'forms.bulk_open' } as const;

/** What a /forms button carries: the list it was on (branch, or none for all; page) and the ticket. */
export interface FormsValue {
  b?: string;
  p: number;
  n?: string;
}

export function readFormsValue(raw: string | undefined): FormsValue | undefined {
  try {
    const v = JSON.parse(raw ?? '') as Partial<FormsValue>;
    if (!v || typeof v !== 'object' || typeof v.p !== 'number' || !Number.isSafeInteger(v.p) || v.p < 1) return undefined;
    if ((v.b !== undefined && typeof v.b !== 'string') || (v.n !== undefined && typeof v.n !== 'string')) return undefined;
    return { p: v.p, ...(v.b ? { b: v.b } : {}), ...(v.n ? { n: v.n } : {}) };
  } catch {
    return undefined;
  }
}

const DAY = 86_400_000;
const place = (ctx: RenderCtx, branchId: string | undefined) => (branchId ? branchName(ctx, branchId) : tr(ctx, 'forms.all_branches'));

/** One page of overdue forms; `canMark`: the person may mark them back (buttons), `note`: a line above the list. */
export function formsListMessage(ctx: RenderCtx, page: FormsPage, o: { canMark: boolean; note?: string }): { text: string; blocks: Block[] } {
  const title = tr(ctx, 'forms.title', { place: place(ctx, page.branchId) });
  const blocks: Block[] = [header(title)];
  if (o.note) blocks.push(section(o.note));
  blocks.push(
    section(
      page.total
        ? tr(ctx, 'forms.summary', { total: page.total, due: localIsoDate(page.dueBefore), page: page.page, pages: page.pages })
        : tr(ctx, 'forms.none', { due: localIsoDate(page.dueBefore) }),
    ),
  );
  const b = page.branchId;
  for (const f of page.items) {
    const late = Math.floor((page.dueBefore.getTime() - f.form.serviceDate.getTime()) / DAY);
    const line = tr(ctx, 'forms.item', {
      number: esc(f.ticketNumber),
      branch: branchName(ctx, f.branchId),
      date: formatMinute(f.form.serviceDate).slice(0, 10),
      late: Math.max(0, late),
    });
    const block = section(line);
    if (o.canMark) block.accessory = button(tr(ctx, 'forms.mark'), FORMS_ACTION.returned, { b, p: page.page, n: f.ticketNumber }, 'primary');
    blocks.push(block);
  }
  const nav: Block[] = [];
  if (page.page > 1) nav.push(button(tr(ctx, 'forms.prev'), `${FORMS_ACTION.page}.prev`, { b, p: page.page - 1 }));
  if (page.page < page.pages) nav.push(button(tr(ctx, 'forms.next'), `${FORMS_ACTION.page}.next`, { b, p: page.page + 1 }));
  if (o.canMark) nav.push(button(tr(ctx, 'forms.bulk'), FORMS_ACTION.bulk, { b, p: page.page }));
  if (nav.length) blocks.push(actions('forms.nav', nav));
  return { text: `${title} · ${page.total}`, blocks };
}

/**
 * The half-monthly forms report (R8l). A branch's report has its true count and its oldest
 * numbers, with how many more there are; the leaders' has the count per branch. A report stored
 * before the count was carried (numbers only) shows its numbers' count.
 */
export function formsReportMessage(ctx: RenderCtx, p: ReportPayload): { text: string; blocks: Block[] } {
  const title = tr(ctx, 'report.title', { report: tr(ctx, 'report.forms'), date: p.date ?? '', place: branchName(ctx, p.branchId) });
  const blocks: Block[] = [header(title)];
  const numbers = Array.isArray(p.numbers) ? p.numbers.map(String) : [];
  const count = typeof p.count === 'number' ? p.count : numbers.length;
  blocks.push(section(tr(ctx, 'report.forms_count', { n: count })));
  if (numbers.length) blocks.push(context([numbers.map((n) => esc(n)).join(' ')]));
  const more = count - numbers.length;
  if (numbers.length && more > 0) blocks.push(context([tr(ctx, 'forms.report_more', { n: more })]));
  if (p.byBranch) {
    const lines = Object.entries(p.byBranch).map(([b, n]) => `• ${branchName(ctx, b || null)}: ${n}`);
    if (lines.length) blocks.push(section(lines.join('\n')));
  }
  if (count) blocks.push(context([tr(ctx, 'forms.report_hint')]));
  return { text: `${title} · ${count}`, blocks };
}
