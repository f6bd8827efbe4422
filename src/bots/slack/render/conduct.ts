/**
 * A conduct complaint in the centre's supervision channel (R31-R33): its card's controls (accept,
 * name the staff member concerned, record the finding), its lines (the naming, the finding), and
 * the leaders' monthly list. Words are in locales/<lang>/slack.conduct.json.
 */
import { isConductComplaint } from '../../../core/conduct/conduct-route.js';
import type { ConductFindingRow, OpenConductComplaint } from '../../../core/ports/conduct-store.js';
import type { Ticket, TicketEvent } from '../../../core/model.js';
import { allowedActions } from '../../../core/tickets/status-machine.js';
import { formatMinute } from '../../../core/local-time.js';
import { button, context, esc, header, section, type Block, type CardValue } from './blocks.js';
import { branchName, staffName, tr, type RenderCtx } from './names.js';

export const CONDUCT_ACTION = {
  name: 'conduct.name',
  finding: 'conduct.finding',
} as const;

/** The card's buttons; the ticket-steps handler takes accept, resolve, the phone and the reply as for any card. */
export function conductControls(
  ctx: RenderCtx,
  t: Ticket,
  events: readonly TicketEvent[],
  ids: { accept: string; resolve: string; phone: string; reply: string },
): Block[] {
  if (!isConductComplaint(t) || t.branchId !== null) return [];
  const allowed = allowedActions(t.status);
  const v: CardValue = { n: t.number, s: t.status };
  const found = hasFinding(events);
  const open = ['dispatched', 'accepted', 'on_site'].includes(t.status);
  const out: Block[] = [];
  if (allowed.includes('accept')) out.push(button(tr(ctx, 'button.accept'), ids.accept, v, 'primary'));
  if (open && !found) {
    out.push(button(tr(ctx, 'conduct.button.name'), CONDUCT_ACTION.name, v));
    out.push(button(tr(ctx, 'conduct.button.finding'), CONDUCT_ACTION.finding, v, t.conductStaffId ? 'primary' : undefined));
  }
  // a complaint reopened after its finding (the resident still unhappy) is answered again by a plain reply
  if (found && allowed.includes('resolve')) out.push(button(tr(ctx, 'button.resolve'), ids.resolve, v));
  if (t.contactPhone && allowed.length) out.push(button(tr(ctx, 'button.phone'), ids.phone, { n: t.number }));
  if (t.residentId !== null && !['closed', 'cancelled', 'duplicate'].includes(t.status))
    out.push(button(tr(ctx, 'thread.reply_button'), ids.reply, { n: t.number }));
  return out;
}

/** A line of the card's fields: who the complaint is about, once named. */
export function conductFact(ctx: RenderCtx, t: Ticket): string | null {
  if (!isConductComplaint(t) || t.branchId !== null) return null;
  const who = t.conductStaffId ? staffWithBranch(ctx, t.conductStaffId) : tr(ctx, 'conduct.nobody_named');
  return `*${tr(ctx, 'conduct.concerned')}*\n${who}`;
}

function data(e: TicketEvent): Record<string, unknown> {
  try {
    return e.data ? (JSON.parse(e.data) as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Whether a finding was recorded (its resolve carries it). */
export function hasFinding(events: readonly TicketEvent[]): boolean {
  return events.some((e) => e.type === 'resolved' && typeof data(e).finding === 'string');
}

/** "Zhou Jing (Xincheng)" */
export function staffWithBranch(ctx: RenderCtx, staffId: string): string {
  const s = ctx.org.staff.get(staffId);
  if (!s) return tr(ctx, 'conduct.left', { id: staffId });
  return tr(ctx, 'conduct.staff_of', { name: s.name, branch: branchName(ctx, s.branchId) });
}

/** The naming and the finding in words, for the card's history and thread; undefined for any other line. */
export function conductEventText(ctx: RenderCtx, e: TicketEvent, who: string): string | undefined {
  const d = data(e);
  if (e.type === 'conduct_named' && typeof d.staffId === 'string') return tr(ctx, 'conduct.event.named', { who, staff: staffWithBranch(ctx, d.staffId) });
  if (e.type === 'resolved' && typeof d.finding === 'string') {
    return tr(ctx, 'conduct.event.finding', {
      who,
      staff: typeof d.staffId === 'string' ? staffWithBranch(ctx, d.staffId) : '',
      finding: tr(ctx, `conduct.finding.${d.finding}`),
      consequence: tr(ctx, `conduct.consequence.${String(d.consequence ?? 'none')}`),
      evidence: esc(e.note ?? ''),
    });
  }
  return undefined;
}

/** The leaders' monthly list (R31-R33): the month's findings and the complaints still open. */
export interface ConductReportPayload {
  report: 'conduct';
  month: string;
  findings: (Omit<ConductFindingRow, 'foundAt'> & { foundAt: string | Date })[];
  open: (Omit<OpenConductComplaint, 'createdAt'> & { createdAt: string | Date })[];
}

export function conductReportMessage(ctx: RenderCtx, p: ConductReportPayload): { text: string; blocks: Block[] } {
  const title = tr(ctx, 'conduct.report.title', { month: p.month });
  const confirmed = p.findings.filter((f) => f.finding !== 'not_confirmed').length;
  const blocks: Block[] = [header(title), section(tr(ctx, 'conduct.report.summary', { total: p.findings.length, confirmed, open: p.open.length }))];
  const lines = p.findings.map((f) =>
    tr(ctx, 'conduct.report.line', {
      number: f.ticketNumber,
      staff: esc(staffName(ctx, f.staffId) || f.staffId),
      branch: branchName(ctx, f.branchId),
      finding: tr(ctx, `conduct.finding.${f.finding}`),
      consequence: tr(ctx, `conduct.consequence.${f.consequence}`),
    }),
  );
  if (lines.length) blocks.push(section(`*${tr(ctx, 'conduct.report.findings')}*\n${lines.join('\n')}`));
  else blocks.push(section(tr(ctx, 'conduct.report.no_findings')));
  if (p.open.length) {
    const open = p.open.map((o) =>
      tr(ctx, 'conduct.report.open_line', {
        number: o.number,
        since: formatMinute(new Date(o.createdAt)),
        staff: o.conductStaffId ? esc(staffName(ctx, o.conductStaffId) || o.conductStaffId) : tr(ctx, 'conduct.nobody_named'),
      }),
    );
    blocks.push(context([`*${tr(ctx, 'conduct.report.open')}*\n${open.join('\n')}`]));
  }
  return { text: title, blocks };
}
