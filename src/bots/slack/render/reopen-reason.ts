/**
 * Why a ticket came back (R30): a resident not satisfied in the bot (or the radiators still cold),
 * or a phone callback's note. The branch reads the reason in bold on the reopened card and in the
 * reopen's thread line, with the person who had the ticket before called by name.
 */
import type { TicketEvent } from '../../../core/model.js';
import { context, esc, section, type Block } from './blocks.js';
import { actorName, mention, tr, type RenderCtx } from './names.js';
import type { CardTicket } from './ticket-card.js';

function data(e: TicketEvent): { previousAssigneeId?: unknown } {
  try {
    return e.data ? (JSON.parse(e.data) as { previousAssigneeId?: unknown }) : {};
  } catch {
    return {};
  }
}

/** Bold in Slack's mrkdwn holds on one line only: the reason's own line breaks become spaces. */
const oneLine = (s: string) => esc(s.replace(/\s+/g, ' ').trim());

/** The reason in bold ("Resident not satisfied: heating still not warm") and the previous assignee called by name, for the reopen's thread line. */
export function reopenReasonText(ctx: RenderCtx, e: TicketEvent, laterNote?: string | null): string {
  const source = e.actor.startsWith('resident:') ? tr(ctx, 'loop.reopen.by_resident') : tr(ctx, 'loop.reopen.by_phone', { agent: actorName(ctx, e.actor) });
  const reason = e.note?.trim() || laterNote?.trim();
  const lines = [`*${tr(ctx, 'loop.reopen.line', { source, reason: reason ? oneLine(reason) : tr(ctx, 'loop.reopen.no_reason') })}*`];
  const prev = data(e).previousAssigneeId;
  if (typeof prev === 'string' && prev) lines.push(tr(ctx, 'loop.reopen.previous', { who: mention(ctx, prev) }));
  return lines.join('\n');
}

/**
 * The card's section while the ticket is back with the branch: the last reopen, and no resolve
 * since. A resident who tapped 'not satisfied' writes the reason afterwards: their first note after the
 * reopen stands in for it.
 */
export function reopenReasonBlocks(ctx: RenderCtx, t: CardTicket): Block[] {
  const i = t.events.map((e) => e.type).lastIndexOf('reopened');
  if (i < 0 || t.events.slice(i + 1).some((e) => e.type === 'resolved')) return [];
  const e = t.events[i];
  const later = t.events.slice(i + 1).find((n) => n.type === 'note' && n.actor.startsWith('resident:'))?.note;
  return [
    section(`:leftwards_arrow_with_hook: ${reopenReasonText(ctx, e, later)}`),
    ...(t.reopenCount > 1 ? [context([tr(ctx, 'loop.reopen.count', { n: t.reopenCount })])] : []),
  ];
}
