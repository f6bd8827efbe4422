/**
 * R4: the handover as staff read it: the modal to write and sign it, the message to countersign
 * or object to (the incoming person signs only when nothing is wrong), and the notice of an objection.
 */
import { formatMinute } from '../../../core/local-time.js';
import type { HandoverSummary } from '../../../core/duty/handover-summary.js';
import type { DutyLogEntry, Handover, Ticket } from '../../../core/model.js';
import { actions, button, context, esc, header, section, type Block } from './blocks.js';
import { branchName, common, mention, staffName, tr, type RenderCtx } from './names.js';
import { ACTION } from './ticket-card.js';

/** The incoming person's objection button on a handover message: a modal asks what (modals/handover-modal.ts). */
export const HANDOVER_OBJECT = 'handover.object';

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
  if (h.objection && h.objectedAt)
    blocks.push(
      section(
        tr(ctx, 'duty.objection_on_message', {
          who: h.objectedBy ? staffName(ctx, h.objectedBy) : '—',
          at: formatMinute(h.objectedAt),
          reason: esc(h.objection),
        }),
      ),
    );
  if (h.incomingStaffId && h.incomingSignedAt) {
    blocks.push(
      section(`:white_check_mark: ${tr(ctx, 'handover.incoming_signed', { who: staffName(ctx, h.incomingStaffId), at: formatMinute(h.incomingSignedAt) })}`),
    );
  } else {
    // until someone signs, the outgoing person holds the duty; an objection leaves only the signature
    const controls = [button(tr(ctx, 'button.handover_accept'), ACTION.handoverAccept, { n: '', h: h.id }, 'primary')];
    if (!h.objectedAt) controls.push(button(tr(ctx, 'duty.object_button'), HANDOVER_OBJECT, { n: '', h: h.id }, 'danger'));
    else blocks.push(context([tr(ctx, 'duty.objection_still_on_duty', { who: staffName(ctx, h.outgoingStaffId) })]));
    blocks.push(actions(`handover:${h.id}`, controls));
  }
  return { text: title, blocks };
}

/** The objection told to the outgoing person and the place's coordinators and leaders, by name. */
export function objectionNotice(ctx: RenderCtx, h: Handover, objectorId: string, tell: readonly string[]): { text: string; blocks: Block[] } {
  const people = tell
    .map((id) => mention(ctx, id))
    .filter(Boolean)
    .join(' ');
  const text = tr(ctx, 'duty.objection_notice', {
    people,
    who: staffName(ctx, objectorId),
    out: staffName(ctx, h.outgoingStaffId),
    at: formatMinute(h.outgoingSignedAt),
    reason: esc(h.objection ?? ''),
  }).trim();
  return { text, blocks: [section(`:warning: ${text}`)] };
}
