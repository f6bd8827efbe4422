/**
 * /duty (R4): who is on duty now for the asker's place, unit by unit and why (a handover, the
 * roster's shift, the onDuty flag), then the place's handovers and duty log, newest first, with a
 * button for the page before.
 */
import type { DutyHistory } from '../../../core/duty/duty-history.js';
import type { PlaceDuty } from '../../../core/duty/duty-at.js';
import { formatClock, formatMinute } from '../../../core/local-time.js';
import type { Handover } from '../../../core/model.js';
import { actions, button, context, divider, esc, header, section, type Block } from './blocks.js';
import { branchName, staffName, tr, unitName, type RenderCtx } from './names.js';

/** The button for the page before; its value is {"page": n}. */
export const DUTY_MORE = 'duty.more';

function whyOnDuty(ctx: RenderCtx, p: PlaceDuty): string {
  if (p.source === 'handover')
    return p.assignment?.until ? tr(ctx, 'duty.source.handover_until', { until: formatMinute(p.assignment.until) }) : tr(ctx, 'duty.source.handover');
  if (p.source === 'roster' && p.shift) return tr(ctx, 'duty.source.roster', { shift: p.shift.shift.name, start: p.shift.shift.start, end: p.shift.shift.end });
  return tr(ctx, 'duty.source.flag');
}

function placeLine(ctx: RenderCtx, p: PlaceDuty): string {
  const where = p.unitId ? unitName(ctx, p.unitId) : tr(ctx, 'duty.place_own', { place: branchName(ctx, p.branchId) });
  const who = p.staff.length ? p.staff.map((s) => s.name).join(tr(ctx, 'duty.separator')) : tr(ctx, 'duty.nobody');
  return `• *${esc(where)}*: ${esc(who)} (${whyOnDuty(ctx, p)})`;
}

/** One handover as a line of the history (Slack markup, escaped): signed, objected to, or waiting. */
export function handoverLine(ctx: RenderCtx, h: Handover): string {
  const base = { at: formatMinute(h.outgoingSignedAt), out: esc(staffName(ctx, h.outgoingStaffId)) };
  const signed = h.incomingStaffId && h.incomingSignedAt ? { in: esc(staffName(ctx, h.incomingStaffId)), signed: formatMinute(h.incomingSignedAt) } : null;
  const objected = h.objectedAt
    ? { by: esc(h.objectedBy ? staffName(ctx, h.objectedBy) : '—'), objected: formatMinute(h.objectedAt), reason: esc(h.objection ?? '') }
    : null;
  if (signed && objected) return tr(ctx, 'duty.handover_objected_signed', { ...base, ...signed, ...objected });
  if (signed) return tr(ctx, 'duty.handover_signed', { ...base, ...signed });
  if (objected) return tr(ctx, 'duty.handover_objected', { ...base, ...objected });
  return tr(ctx, 'duty.handover_open', base);
}

export function dutyOverview(ctx: RenderCtx, branchId: string | null, d: DutyHistory): { text: string; blocks: Block[] } {
  const title = tr(ctx, 'duty.now_title', { place: branchName(ctx, branchId), at: formatClock(d.at) });
  const blocks: Block[] = [header(title), section(d.now.map((p) => placeLine(ctx, p)).join('\n'))];
  blocks.push(divider());
  const handovers = d.handovers.length ? d.handovers.map((h) => `• ${handoverLine(ctx, h)}`).join('\n') : tr(ctx, 'duty.no_handovers');
  blocks.push(section(`*${tr(ctx, 'duty.handovers_title')}*\n${handovers}`));
  const log = d.entries.length
    ? d.entries.map((e) => `• ${formatMinute(e.at)} ${esc(staffName(ctx, e.staffId))}: ${esc(e.text)}`).join('\n')
    : tr(ctx, 'duty.no_log');
  blocks.push(section(`*${tr(ctx, 'duty.log_title')}*\n${log}`));
  blocks.push(context([tr(ctx, 'duty.page', { page: d.page }), tr(ctx, 'duty.usage')]));
  if (d.more) blocks.push(actions(`duty:${d.page}`, [button(tr(ctx, 'duty.more'), DUTY_MORE, { page: d.page + 1 })]));
  return { text: title, blocks };
}
