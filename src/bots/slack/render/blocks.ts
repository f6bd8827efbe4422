/** Tiny Block Kit builders: the shapes this app posts, nothing more. */
import { isRowId } from '../../../core/ids.js';

export type Block = Record<string, any>;

/** Text from people goes into mrkdwn escaped, so a resident cannot write a mention or a link. */
export function esc(s: string | null | undefined): string {
  return (s ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export const plain = (text: string) => ({ type: 'plain_text' as const, text: text.slice(0, 150) || ' ', emoji: true });
/**
 * Always `verbatim`: without it Slack turns bare URLs, #channel names and @here in the text into
 * links and mentions, and residents' words (a description, an address) would become them. The
 * app's own markup (`<@U…>` mentions) still works, and `esc` keeps people's `<`, `>` from being markup.
 * A message whose text has people's words goes out as blocks: a message's bare `text` is always auto-linked.
 */
export const mrkdwn = (text: string) => ({ type: 'mrkdwn' as const, text: clipMarkup(text, 3000) || ' ', verbatim: true });

/**
 * Text cut to Slack's limit for a text object. Callers cut people's words on the raw text before
 * escaping (render/thread.ts cutRaw), so this is the last guard: it never leaves half an entity
 * ("&am") or half a `<...>` of the app's own markup at the end.
 */
export function clipMarkup(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max);
  const amp = cut.lastIndexOf('&');
  if (amp >= 0 && !cut.slice(amp).includes(';')) cut = cut.slice(0, amp);
  const lt = cut.lastIndexOf('<');
  if (lt >= 0 && !cut.slice(lt).includes('>')) cut = cut.slice(0, lt);
  return `${cut.slice(0, max - 1)}…`;
}

export const header = (text: string): Block => ({ type: 'header', text: plain(text) });
export const section = (text: string): Block => ({ type: 'section', text: mrkdwn(text) });
export const fields = (list: string[]): Block => ({ type: 'section', fields: list.slice(0, 10).map((f) => mrkdwn(f)) });
export const context = (list: string[]): Block => ({ type: 'context', elements: list.slice(0, 10).map((f) => mrkdwn(f)) });
export const divider = (): Block => ({ type: 'divider' });
export const actions = (blockId: string, elements: Block[]): Block => ({ type: 'actions', block_id: blockId, elements });

export function button(text: string, actionId: string, value: unknown, style?: 'primary' | 'danger'): Block {
  return { type: 'button', text: plain(text), action_id: actionId, value: JSON.stringify(value), ...(style ? { style } : {}) };
}

export const option = (text: string, value: string) => ({ text: plain(text), value });

export function staticSelect(placeholder: string, actionId: string, options: ReturnType<typeof option>[], initial?: string): Block {
  const init = options.find((o) => o.value === initial);
  return { type: 'static_select', action_id: actionId, placeholder: plain(placeholder), options, ...(init ? { initial_option: init } : {}) };
}

/** The button or option value every card control carries: which ticket, in which status the card showed it. */
export interface CardValue {
  /** ticket number */
  n: string;
  /** the status the card showed: a click on a card that has moved on is stale */
  s?: string;
  /** unit (route), branch (dispatch), alert level (escalation), callback id, handover id */
  u?: string;
  b?: string;
  a?: string;
  c?: number;
  h?: number;
  /** a staff member picked (who goes, for an urgent alert taken by a centre agent) */
  p?: string;
}

export function readValue(raw: string | undefined): CardValue | undefined {
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw) as CardValue;
    return v && typeof v === 'object' && typed(v, ['n', 's', 'u', 'b', 'a', 'p'], ['c', 'h']) && typeof v.n === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the fields present have the types this app writes (strings, row ids). Slack hands
 * values and metadata back as they were posted, so anything else was not made here: it is
 * ignored rather than passed to a query (an id past the database's integer range would be an
 * error there, not a row that is missing).
 */
export function typed(v: object, strings: string[], ids: string[]): boolean {
  const o = v as Record<string, unknown>;
  return strings.every((k) => o[k] === undefined || typeof o[k] === 'string') && ids.every((k) => o[k] === undefined || isRowId(o[k]));
}

/** Every text in a list of blocks, for the fallback `text` of a message (notifications, screen readers). */
export function blocksText(blocks: Block[]): string {
  const out: string[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      if (typeof o.text === 'string' && (o.type === 'mrkdwn' || o.type === 'plain_text')) out.push(o.text);
      for (const [k, v] of Object.entries(o)) if (k !== 'text' || typeof v !== 'string') walk(v);
    }
  };
  walk(blocks);
  return out.join('\n');
}
