/**
 * The quote modal (R16), opened from the card's Quote button: up to eight items, one per line as
 * "name | unit | quantity | unit price", and a note. Lines are split here; the amounts are
 * checked by the core (quote-items.ts), whose invalid_quote comes back onto the line it is about.
 */
import type { types } from '@slack/bolt';
import type { AppError } from '../../../core/errors.js';
import type { Ticket } from '../../../core/model.js';
import type { QuoteItemInput } from '../../../core/quotes/quote-items.js';
import { section, type Block } from '../render/blocks.js';
import { tr, type RenderCtx } from '../render/names.js';
import { modal, textInput } from './elements.js';
import { fieldValue, type ModalOrigin, type ViewLike } from './view-state.js';

export const QUOTE_VIEW = 'ticket.quote';
/** Lines in the modal: a repair in a stairwell rarely has more; the core takes up to 30 (the API). */
export const QUOTE_ROWS = 8;

const row = (n: number) => `item${n}`;

export function quoteModal(ctx: RenderCtx, t: Ticket, from: ModalOrigin, validDays: number): types.ModalView {
  const blocks: Block[] = [section(tr(ctx, 'quote.modal.intro', { number: t.number, days: validDays }))];
  for (let n = 1; n <= QUOTE_ROWS; n++) {
    blocks.push(textInput(row(n), tr(ctx, 'quote.modal.item', { n }), { optional: n > 1, placeholder: tr(ctx, 'quote.modal.item_hint'), max: 200 }));
  }
  blocks.push(textInput('note', tr(ctx, 'quote.modal.note'), { optional: true, multiline: true, placeholder: tr(ctx, 'quote.modal.note_hint'), max: 1000 }));
  return modal(QUOTE_VIEW, tr(ctx, 'quote.modal.title'), tr(ctx, 'quote.modal.submit'), tr(ctx, 'modal.cancel'), blocks, {
    n: t.number,
    s: t.status,
    ch: from.ch,
    ts: from.ts,
  });
}

export interface QuoteForm {
  items: QuoteItemInput[];
  /** the modal line (1-8) each item came from, for the core's refusals */
  rows: number[];
  note: string | null;
}

type Read<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

export function readQuote(ctx: RenderCtx, view: ViewLike): Read<QuoteForm> {
  const errors: Record<string, string> = {};
  const items: QuoteItemInput[] = [];
  const rows: number[] = [];
  for (let n = 1; n <= QUOTE_ROWS; n++) {
    const raw = fieldValue(view, row(n));
    if (!raw) continue;
    const parts = raw.split(/[|\uFF5C]/).map((p) => p.trim());
    if (parts.length !== 4) {
      errors[row(n)] = tr(ctx, 'quote.modal.error_format');
      continue;
    }
    const [name, unit, quantity, unitPrice] = parts;
    items.push({ name, unit, quantity: quantity.replace(/[,\uFF0C]/g, ''), unitPrice: unitPrice.replace(/[\u00A5\uFFE5,\uFF0C\s]/g, '') });
    rows.push(n);
  }
  if (!items.length && !Object.keys(errors).length) errors[row(1)] = tr(ctx, 'quote.modal.error_first');
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, value: { items, rows, note: fieldValue(view, 'note') ?? null } };
}

const FIELD_ERROR: Record<string, string> = {
  name: 'quote.modal.error_name',
  unit: 'quote.modal.error_unit',
  quantity: 'quote.modal.error_quantity',
  unitPrice: 'quote.modal.error_unit_price',
};

/** The core's invalid_quote on the modal line it is about (the total and the count on the first). */
export function quoteFieldError(ctx: RenderCtx, e: AppError, form: QuoteForm): Record<string, string> | null {
  if (e.code !== 'invalid_quote') return null;
  const field = String(e.context.field ?? '');
  const m = /^items\[(\d+)\]\.(\w+)$/.exec(field);
  if (m && FIELD_ERROR[m[2]]) return { [row(form.rows[Number(m[1])] ?? 1)]: tr(ctx, FIELD_ERROR[m[2]]) };
  if (field === 'note') return { note: tr(ctx, 'quote.modal.error_note') };
  return { [row(form.rows[0] ?? 1)]: tr(ctx, 'quote.modal.error_total') };
}
