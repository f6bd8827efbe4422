/**
 * The first moments of a click on a card's button that opens a modal: answer Slack, read which
 * ticket the button is for, and check that this person may act on it now. Each button's handler
 * then only builds its modal. Refusals are told to the person (ephemeral), never thrown.
 */
import type { Staff } from '../../../core/org/types.js';
import { tell, ticketWithEvents, staffFor, renderCtx, type SlackDeps } from '../kit.js';
import { readValue, type CardValue } from '../render/blocks.js';
import { tr, type RenderCtx } from '../render/names.js';
import { currentState, type CardTicket } from '../render/ticket-card.js';
import { whereClicked, type ActionArgs } from './types.js';

/** What the modal needs once a click is allowed. */
export interface AllowedClick {
  ctx: RenderCtx;
  where: ReturnType<typeof whereClicked>;
  staff: Staff | undefined;
  ticket: CardTicket;
  value: CardValue;
}

export interface ClickRule {
  /** may this person act on this ticket (can-act or a rule of its own)? */
  may: (staff: Staff | undefined, ticket: CardTicket) => { allowed: true } | { allowed: false; reason: string };
  /** the words of a refusal */
  refusal: (ctx: RenderCtx, reason: string) => string;
  /** whether the ticket's status still takes the button (default: any) */
  takes?: (status: string) => boolean;
}

/** Null when the click was refused (and the person told why), else the ticket and where it was clicked. */
export async function allowedClick(a: ActionArgs, d: SlackDeps, rule: ClickRule): Promise<AllowedClick | null> {
  await a.ack();
  const value = readValue(a.action.value);
  if (!value?.n) return null;
  const ctx = renderCtx(d);
  const where = whereClicked(a.body);
  const to = { user: a.body.user.id, channel: where.ch };
  const ticket = await ticketWithEvents(d, value.n);
  if (!ticket) {
    await tell(a.client, d, to, tr(ctx, 'error.ticket_not_found'));
    return null;
  }
  const staff = staffFor(d, a.body.user.id);
  const decision = rule.may(staff, ticket);
  if (!decision.allowed) {
    await tell(a.client, d, to, rule.refusal(ctx, decision.reason));
    return null;
  }
  // a card older than the ticket (its status moved on since it was drawn), or a status the button no longer fits
  if ((value.s !== undefined && value.s !== ticket.status) || (rule.takes && !rule.takes(ticket.status))) {
    await tell(a.client, d, to, `${tr(ctx, 'error.stale')}\n${currentState(ctx, ticket)}`);
    return null;
  }
  return { ctx, where, staff, ticket, value };
}
