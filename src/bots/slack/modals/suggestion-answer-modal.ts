/**
 * suggestion.answer: the Answer button of a suggestion's card opens this modal; what is written in
 * it is HQ's answer (core/suggestions/answer-suggestion.ts), stored and sent to the resident.
 */
import type { types } from '@slack/bolt';
import type { Ticket } from '../../../core/model.js';
import { REPLY_MAX_CHARS } from '../../../core/tickets/reply-to-resident.js';
import { esc, section, type Block } from '../render/blocks.js';
import { tr, type RenderCtx } from '../render/names.js';
import { modal, textInput } from './elements.js';
import { fieldValue, type ModalOrigin, type ViewLike } from './view-state.js';

export const SUGGESTION_ANSWER_VIEW = 'suggestion.answer';

export function suggestionAnswerModal(ctx: RenderCtx, t: Ticket, from: ModalOrigin): types.ModalView {
  const quote = [...t.description].slice(0, 500).join('');
  const blocks: Block[] = [
    section(
      `${tr(ctx, t.residentId !== null ? 'suggestions.modal.intro_resident' : 'suggestions.modal.intro_record', { number: t.number })}\n>${esc(quote).replace(/\n/g, '\n>')}`,
    ),
    textInput('text', tr(ctx, 'suggestions.modal.label'), { multiline: true, max: REPLY_MAX_CHARS, placeholder: tr(ctx, 'suggestions.modal.hint') }),
  ];
  return modal(SUGGESTION_ANSWER_VIEW, tr(ctx, 'suggestions.modal.title'), tr(ctx, 'suggestions.modal.submit'), tr(ctx, 'modal.cancel'), blocks, {
    n: t.number,
    s: t.status,
    ch: from.ch,
    ts: from.ts,
  });
}

/** The answer, or the modal's error for an empty one. */
export function readSuggestionAnswer(ctx: RenderCtx, view: ViewLike): { ok: true; text: string } | { ok: false; errors: Record<string, string> } {
  const text = fieldValue(view, 'text');
  if (!text) return { ok: false, errors: { text: tr(ctx, 'suggestions.modal.error_empty') } };
  if (text.length > REPLY_MAX_CHARS) return { ok: false, errors: { text: tr(ctx, 'suggestions.modal.error_too_long', { max: REPLY_MAX_CHARS }) } };
  return { ok: true, text };
}
