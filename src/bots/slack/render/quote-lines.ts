/**
 * A quote's steps in the ticket card's thread (R16): quoted with its items, total and validity;
 * accepted, declined or expired; scheduled as paid work with the paid ticket's number (R9).
 * Worded from the event's data alone, as every thread line is. Staff's item names are escaped.
 */
import { formatMinute } from '../../../core/local-time.js';
import type { QuoteItem, TicketEvent } from '../../../core/model.js';
import { esc } from './blocks.js';
import { tr, type RenderCtx } from './names.js';

/** The events of a quote the card shows. */
export const QUOTE_EVENTS = ['quoted', 'quote_accepted', 'quote_refused', 'quote_expired', 'quote_scheduled'] as const;

/** "1234.50" */
export const yuanText = (cents: unknown) => (Number(cents ?? 0) / 100).toFixed(2);

/** The line of a quote event, or undefined for any other event. */
export function quoteEventText(ctx: RenderCtx, e: Pick<TicketEvent, 'type' | 'note'>, d: Record<string, any>, who: string): string | undefined {
  const type = e.type;
  if (!(QUOTE_EVENTS as readonly string[]).includes(type)) return undefined;
  const vars = { who, quote: esc(String(d.quote ?? '')), total: yuanText(d.totalCents) };
  switch (type) {
    case 'quoted': {
      const until = d.validUntil ? formatMinute(new Date(String(d.validUntil))) : '';
      const items: QuoteItem[] = Array.isArray(d.items) ? d.items : [];
      const lines = items.map((i) =>
        tr(ctx, 'quote.event.item', {
          name: esc(String(i.name)),
          unit: esc(String(i.unit)),
          quantity: i.quantity,
          price: yuanText(i.unitPriceCents),
          amount: yuanText(i.amountCents),
        }),
      );
      const note = e.note?.trim() ? [tr(ctx, 'quote.event.note', { note: esc(e.note.trim()) })] : [];
      return [tr(ctx, 'quote.event.quoted', { ...vars, until }), ...lines, ...note].join('\n');
    }
    case 'quote_accepted':
      return tr(ctx, 'quote.event.accepted', vars);
    case 'quote_refused':
      return tr(ctx, 'quote.event.refused', vars);
    case 'quote_expired':
      return tr(ctx, 'quote.event.expired', vars);
    default:
      return tr(ctx, 'quote.event.scheduled', { ...vars, paid: esc(String(d.paidNumber ?? '')) });
  }
}
