/**
 * The lines of a quote (R16: engineering settlement and purchase prices, item by item) as staff
 * type them: checked and priced here, in whole cents. Anything absurd is refused with
 * invalid_quote and the field, before anything is stored.
 */
import { AppError } from '../errors.js';
import type { Quote, QuoteItem } from '../model.js';

export const QUOTE_LIMITS = {
  items: 30,
  name: 100,
  unit: 20,
  note: 1000,
  quantity: 100_000,
  /** one million yuan: more is a typing slip, not a repair in a building */
  totalCents: 100_000_000,
} as const;

/** An item as typed: quantity and unit price in yuan, as numbers or the text of a form field. */
export interface QuoteItemInput {
  name: string;
  unit: string;
  quantity: number | string;
  unitPrice: number | string;
}

const bad = (field: string, message: string): never => {
  throw new AppError('invalid_quote', `${field}: ${message}`, { field });
};

/** A decimal with at most `places` digits after the point, from a number or its text; undefined if it is not one. */
function decimal(v: number | string, places: number): number | undefined {
  const text = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : String(v ?? '').trim();
  if (!new RegExp(`^-?\\d+(\\.\\d{1,${places}})?$`).test(text)) return undefined;
  return Number(text);
}

function text(v: unknown, field: string, max: number): string {
  const s = typeof v === 'string' ? v.trim() : '';
  if (!s) bad(field, 'must not be empty');
  if ([...s].length > max) bad(field, `is longer than ${max} characters`);
  return s;
}

/** The items priced in cents, and their total; invalid_quote naming the first bad field. */
export function priceItems(input: readonly QuoteItemInput[] | undefined): { items: QuoteItem[]; totalCents: number } {
  if (!Array.isArray(input) || input.length === 0) bad('items', 'at least one item is needed');
  if (input!.length > QUOTE_LIMITS.items) bad('items', `at most ${QUOTE_LIMITS.items} items`);
  const items = input!.map((it, i): QuoteItem => {
    const f = (k: string) => `items[${i}].${k}`;
    const name = text(it?.name, f('name'), QUOTE_LIMITS.name);
    const unit = text(it?.unit, f('unit'), QUOTE_LIMITS.unit);
    const quantity = decimal(it?.quantity, 3);
    if (quantity === undefined) return bad(f('quantity'), 'must be a number with at most 3 decimals');
    if (quantity <= 0) bad(f('quantity'), 'must be more than 0');
    if (quantity > QUOTE_LIMITS.quantity) bad(f('quantity'), `must be at most ${QUOTE_LIMITS.quantity}`);
    const price = decimal(it?.unitPrice, 2);
    if (price === undefined) return bad(f('unitPrice'), 'must be an amount in yuan with at most 2 decimals');
    if (price < 0) bad(f('unitPrice'), 'must not be negative');
    const unitPriceCents = Math.round(price * 100);
    if (unitPriceCents > QUOTE_LIMITS.totalCents) bad(f('unitPrice'), `must be at most ${QUOTE_LIMITS.totalCents / 100} yuan`);
    const amountCents = Math.round(quantity * unitPriceCents);
    return { name, unit, quantity, unitPriceCents, amountCents };
  });
  const totalCents = items.reduce((s, it) => s + it.amountCents, 0);
  if (totalCents <= 0) bad('total', 'must be more than 0');
  if (totalCents > QUOTE_LIMITS.totalCents) bad('total', `must be at most ${QUOTE_LIMITS.totalCents / 100} yuan`);
  return { items, totalCents };
}

/** A quote's note, trimmed; null when empty. */
export function quoteNote(note: string | null | undefined): string | null {
  const s = note?.trim() ?? '';
  if ([...s].length > QUOTE_LIMITS.note) bad('note', `is longer than ${QUOTE_LIMITS.note} characters`);
  return s || null;
}

/** The stored items of a quote. */
export function quoteItems(q: Pick<Quote, 'items'>): QuoteItem[] {
  try {
    const v = JSON.parse(q.items) as unknown;
    return Array.isArray(v) ? (v as QuoteItem[]) : [];
  } catch {
    return [];
  }
}

/** Sent and past its validity: as good as expired, whether or not an answer has marked it yet. */
export function quoteState(q: Pick<Quote, 'status' | 'validUntil'>, now: Date): Quote['status'] {
  return q.status === 'sent' && q.validUntil.getTime() <= now.getTime() ? 'expired' : q.status;
}
