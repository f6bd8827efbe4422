/**
 * R30 on the card: a complaint that repeats an earlier one of the same customer and category
 * (core/tickets/repeat-of.ts) says which, so the branch sees at once that the first result did
 * not hold. The first ticket's number is in the created event (`repeatOf`).
 */
import type { TicketEvent } from '../../../core/model.js';
import { tr, type RenderCtx } from './names.js';

export function repeatLine(ctx: RenderCtx, t: { repeatOfId: number | null; events: TicketEvent[] }): string | null {
  if (t.repeatOfId === null) return null;
  const created = t.events.find((e) => e.type === 'created');
  let first: unknown;
  try {
    first = created?.data ? (JSON.parse(created.data) as { repeatOf?: unknown }).repeatOf : undefined;
  } catch {
    first = undefined;
  }
  return typeof first === 'string' ? `:repeat: ${tr(ctx, 'integrity.repeat_of', { number: first })}` : null;
}
