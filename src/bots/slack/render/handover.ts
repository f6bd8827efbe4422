/** R4: the handover as staff read it: the modal to write and sign it, the message to countersign. */
import { formatMinute } from '../../../core/local-time.js';
import type { HandoverSummary } from '../../../core/duty/handover-summary.js';
import type { DutyLogEntry, Handover, Ticket } from '../../../core/model.js';
import { actions, button, context, esc, header, section, type Block } from './blocks.js';
import { branchName, common, staffName, tr, type RenderCtx } from './names.js';
import { ACTION } from './ticket-card.js';

function urgentLines(ctx: RenderCtx, tickets: Pick<Ticket, 'number' | 'category' | 'status' | 'severity'>[]): string {
  if (!tickets.length) return tr(ctx, 'handover.no_urgent');
  return tickets
    .map((t) => `• ${t.number} ${common(ctx, `category.${t.category}`)} · ${common(ctx, `severity.${t.severity}`)} · ${common(ctx, `status.${t.status}`)}`)
    .join('\n');
}

function logLines(ctx: RenderCtx, entries: DutyLogEntry[]): string {
  if (!entries.length) return tr(ctx, 'handover.no_log');
  return entries.map((e) => `• ${formatMinute(e.at)} ${staffName(ctx, e.staffId)}: ${esc(e.text)}`).join('\n');
}

/** What the outgoing person reads before writing and signing. */
export function handoverOverview(ctx: RenderCtx, s: HandoverSummary): Block[] {
  const since = s.previous ? tr(ctx, 'handover.since', { at: formatMinute(s.previous.outgoingSignedAt) }) : tr(ctx, 'handover.since_start');
  return [
    section(`*${tr(ctx, 'handover.open_urgent')}*\n${urgentLines(ctx, s.openUrgent)}`),
    section(`*${tr(ctx, 'handover.log')}* (${since})\n${logLines(ctx, s.entries)}`),
  ];
}

/** The posted handover: signed by the outgoing person, countersigned with handover.accept. */
export function handoverMessage(ctx: RenderCtx, h: Handover, s: Pick<HandoverSummary, 'openUrgent' | 'entries'>): { text: string; blocks: Block[] } {
  const title = tr(ctx, 'handover.title', { place: branchName(ctx, h.branchId) });
  const blocks: Block[] = [
    header(title),
    section(`*${tr(ctx, 'handover.summary')}*\n${esc(h.summary)}`),
    section(`*${tr(ctx, 'handover.open_urgent')}*\n${urgentLines(ctx, s.openUrgent)}`),
    section(`*${tr(ctx, 'handover.log')}*\n${logLines(ctx, s.entries)}`),
    context([tr(ctx, 'handover.outgoing_signed', { who: staffName(ctx, h.outgoingStaffId), at: formatMinute(h.outgoingSignedAt) })]),
  ];
  if (h.incomingStaffId && h.incomingSignedAt) {
    blocks.push(
      section(`:white_check_mark: ${tr(ctx, 'handover.incoming_signed', { who: staffName(ctx, h.incomingStaffId), at: formatMinute(h.incomingSignedAt) })}`),
    );
  } else {
    blocks.push(actions(`handover:${h.id}`, [button(tr(ctx, 'button.handover_accept'), ACTION.handoverAccept, { n: '', h: h.id }, 'primary')]));
  }
  return { text: title, blocks };
}
