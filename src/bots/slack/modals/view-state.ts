/**
 * Reading a submitted modal. Every input in this app has block_id = action_id = the field name,
 * and the modal's private_metadata carries where it came from (ticket, card, channel).
 */
import { typed } from '../render/blocks.js';

export interface ViewLike {
  id?: string;
  callback_id?: string;
  private_metadata?: string;
  state?: { values?: Record<string, Record<string, any>> };
}

function element(view: ViewLike, field: string): any {
  return view.state?.values?.[field]?.[field];
}

/** A text input, select or radio choice; undefined when empty. */
export function fieldValue(view: ViewLike, field: string): string | undefined {
  const e = element(view, field);
  if (!e) return undefined;
  const v = e.value ?? e.selected_option?.value ?? e.selected_user ?? e.selected_channel ?? e.selected_conversation;
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** Checkboxes and multi-selects. */
export function fieldValues(view: ViewLike, field: string): string[] {
  const e = element(view, field);
  return Array.isArray(e?.selected_options) ? e.selected_options.map((o: { value: string }) => o.value) : [];
}

/** Where the modal came from: the ticket and status it was opened for, the card's channel and ts. */
export interface ModalOrigin {
  n?: string;
  s?: string;
  ch?: string;
  ts?: string;
  c?: number;
  h?: number;
}

export function origin(view: ViewLike): ModalOrigin {
  try {
    const o = view.private_metadata ? (JSON.parse(view.private_metadata) as ModalOrigin) : {};
    return o && typeof o === 'object' && typed(o, ['n', 's', 'ch', 'ts'], ['c', 'h']) ? o : {};
  } catch {
    return {};
  }
}

/** "12.5" yuan → 1250 cents; undefined for empty, null for unreadable. */
export function yuanToCents(raw: string | undefined): number | undefined | null {
  if (raw === undefined) return undefined;
  const m = raw.replace(/[,\s]/g, '').match(/^(\d{1,7})(?:\.(\d{1,2}))?$/);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}
