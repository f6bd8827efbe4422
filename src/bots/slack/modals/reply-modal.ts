/**
 * ticket.reply: the card's button opens this modal, and what a staff member writes in it reaches
 * the resident in Telegram (core/tickets/reply-to-resident.ts), signed with their name and badge.
 */
import type { types } from '@slack/bolt';
import type { Ticket } from '../../../core/model.js';
import { REPLY_MAX_CHARS } from '../../../core/tickets/reply-to-resident.js';
import { section, type Block } from '../render/blocks.js';
import { tr, type RenderCtx } from '../render/names.js';
import { modal, textInput } from './elements.js';
import { fieldValue, type ModalOrigin, type ViewLike } from './view-state.js';

export const REPLY_VIEW = 'ticket.reply';

export function replyModal(ctx: RenderCtx, t: Ticket, signedAs: string, from: ModalOrigin): types.ModalView {
  const blocks: Block[] = [
    section(tr(ctx, 'thread.reply_intro', { number: t.number, who: signedAs })),
    textInput('text', tr(ctx, 'thread.reply_label'), { multiline: true, max: REPLY_MAX_CHARS, placeholder: tr(ctx, 'thread.reply_hint') }),
  ];
  return modal(REPLY_VIEW, tr(ctx, 'thread.reply_title'), tr(ctx, 'thread.reply_submit'), tr(ctx, 'modal.cancel'), blocks, {
    n: t.number,
    ch: from.ch,
    ts: from.ts,
  });
}

/** The words, or the modal's error for an empty one (Slack's max_length stops a long one before it comes). */
export function readReply(ctx: RenderCtx, view: ViewLike): { ok: true; text: string } | { ok: false; errors: Record<string, string> } {
  const text = fieldValue(view, 'text');
  if (!text) return { ok: false, errors: { text: tr(ctx, 'thread.error_empty') } };
  if (text.length > REPLY_MAX_CHARS)
    return { ok: false, errors: { text: tr(ctx, 'thread.error_reply_too_long', { length: text.length, max: REPLY_MAX_CHARS }) } };
  return { ok: true, text };
}
