/**
 * A suggestion's card in the centre's suggestions channel (R18/R19): the ticket's facts and
 * history as on a dispatch card, and while it is open one button, Answer, for HQ to
 * answer it. A suggestion from the box with nobody behind it says that the answer is recorded
 * only; one from a Telegram resident says the answer reaches them.
 */
import { actions, button, context, type Block } from './blocks.js';
import { tr, type RenderCtx } from './names.js';
import { ticketCard, type CardTicket } from './ticket-card.js';

export const SUGGESTION_ACTION = { answer: 'suggestion.answer' } as const;

const OPEN = new Set(['received', 'dispatched', 'accepted', 'on_site']);

export function suggestionCard(ctx: RenderCtx, t: CardTicket): { text: string; blocks: Block[] } {
  const card = ticketCard(ctx, t, { actions: false });
  const blocks = [...card.blocks];
  if (OPEN.has(t.status)) {
    blocks.push(context([tr(ctx, t.residentId !== null ? 'suggestions.card.to_resident' : 'suggestions.card.on_record')]));
    blocks.push(
      actions(`suggestion:${t.number}`, [button(tr(ctx, 'suggestions.card.answer'), SUGGESTION_ACTION.answer, { n: t.number, s: t.status }, 'primary')]),
    );
  }
  return { text: card.text, blocks };
}
