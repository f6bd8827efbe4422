/**
 * The ledger at the end of a run: what the service owed (worked out from the tickets and their
 * events in its database, not from the outbox alone) against what actually reached the platforms
 * (the fakes' recorded calls that the platform accepted: HTTP 200 and ok).
 *
 * One logical message is identified like this:
 * - the dispatch card: a top-level chat.postMessage in the branch's dispatch channel whose header
 *   starts with the ticket number. Exactly one per ticket; a second is a duplicate.
 * - a thread line: a chat.postMessage with thread_ts = the card whose outbox metadata names the
 *   part "line" (staff alerts in the thread are other parts). The expected lines are the service's own rendering (eventLine) of each
 *   event that owed a card update after the card was posted; compared as a multiset, so a step
 *   done twice (two "接单" after a reopen) is expected twice and a line delivered twice is extra.
 * - an urgent or major alert: a top-level post in the branch's urgent (leaders') channel naming
 *   the ticket. One per ticket.
 * - a resident's step notification: a sendMessage to the resident's chat that reads like
 *   telegram.update.<event> (its fixed words around the ticket number). Expected once per event of
 *   that type not caused by the resident; counted per (ticket, event type).
 * - the callback question: a sendMessage whose buttons carry cb:<callback id>. Once per callback.
 * - the conversation (issue 15): a resident's note or urging (催办) is a thread line like a step's
 *   (the service's own conversationLine, in the multiset above); a resident's photo or voice
 *   message is a file in the card's thread named after its outbox row (`photo-<row id>.jpg`), once;
 *   a staff member's reply is a sendMessage to the resident's chat with the staff-reply heading
 *   naming the ticket and the words as stored, once per reply (counted per (ticket, words)).
 *
 * Lost = outbox rows still pending or dead at the end, plus expected messages missing on the
 * platform whose row is not among those (so nothing is counted twice). Duplicated = every
 * delivery beyond the first of one logical message.
 */
import type { Org } from '../../src/core/org/org.js';
import type { Db } from '../../src/db/client.js';
import type { FakeSlackApi } from '../dev/fake-slack-api.js';
import type { FakeTelegramApi } from '../dev/fake-telegram-api.js';
import { t } from '../../src/i18n/index.js';
import { eventLine, isShownEvent } from '../../src/bots/slack/render/ticket-card.js';
import { conversationLine, isConversationEvent, residentFile } from '../../src/bots/slack/render/thread.js';
import type { RenderCtx } from '../../src/bots/slack/render/names.js';
import { cardNumber } from './slack-side.js';
import { buttonsOf } from './telegram-side.js';

export interface Ledger {
  tickets: number;
  closed: number;
  /** tickets not where they should be (closed), with their status */
  notClosed: string[];
  /** logical messages the service owed on the platforms */
  expected: number;
  /** outbox rows sent */
  delivered: number;
  pending: number;
  dead: number;
  lost: number;
  duplicated: number;
  /** the duplicates by platform (Slack: cards, thread lines, alerts; Telegram: notifications, callback questions) */
  duplicatedOn: { slack: number; telegram: number };
  /** what the conversation owed and what arrived: residents' notes and urgings as thread lines, their files in the thread, staff replies in the residents' chats */
  conversation: { notes: number; urgings: number; files: number; filesArrived: number; staffReplies: number; repliesArrived: number };
  /** one line per problem found */
  problems: string[];
}

/** Resident notifications the Telegram deliverer words (the others are skipped by design). */
const UPDATE_EVENTS = ['accepted', 'arrived', 'resolved', 'transferred', 'reopened', 'closed', 'cancelled'] as const;

function templateRegex(key: string): RegExp {
  const text = t('zh-CN', key);
  const parts = text.split(/(\{\w+\})/);
  const src = parts
    .map((p) => (p === '{number}' ? '([TSQP]\\d{8}-\\d{4,})' : /^\{\w+\}$/.test(p) ? '[\\s\\S]*?' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${src}`);
}

const NOTIFICATION = UPDATE_EVENTS.map((type) => ({ type, re: templateRegex(`telegram.update.${type}`) }));

/** (ticket number, event type) of a step notification, from its words. */
export function readNotification(text: string): { number: string; type: string } | undefined {
  for (const n of NOTIFICATION) {
    const m = n.re.exec(text);
    if (m) return { number: m[1], type: n.type };
  }
  return undefined;
}

class Counter<K> extends Map<K, number> {
  bump(k: K, by = 1): void {
    this.set(k, (this.get(k) ?? 0) + by);
  }
}

function ok(c: { status: number; response: Record<string, any> }): boolean {
  return c.status === 200 && c.response.ok !== false;
}

function parse<T>(s: string | null): T | undefined {
  try {
    return s ? (JSON.parse(s) as T) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `reporters`: Telegram user ids of residents who were told their report was filed (the ticket
 * number, "already filed", or /status listing it): each must have a ticket.
 */
export async function audit(db: Db, org: Org, tg: FakeTelegramApi, slack: FakeSlackApi, reporters: number[] = []): Promise<Ledger> {
  const tickets = await db.ticket.findMany({
    include: { events: { orderBy: [{ at: 'asc' }, { id: 'asc' }] }, callbacks: true, resident: true },
    orderBy: { id: 'asc' },
  });
  const rows = await db.outboxMessage.findMany({ orderBy: { id: 'asc' } });
  const ctx: RenderCtx = { org, locale: 'zh-CN', now: new Date() };
  const problems: string[] = [];
  const owedStill = new Set(rows.filter((r) => r.state === 'pending' || r.state === 'dead').map((r) => r.key));
  const byKey = new Map(rows.map((r) => [r.key, r]));
  let lost = owedStill.size;
  let duplicated = 0;
  const duplicatedOn = { slack: 0, telegram: 0 };
  let expected = 0;
  for (const r of rows)
    if (r.state !== 'sent') problems.push(`outbox ${r.key} (${r.kind} to ${r.target}) is ${r.state} after ${r.attempts} attempts: ${r.lastError ?? ''}`.trim());

  // --- Slack: what the channels received
  const posts = slack.calls.filter((c) => c.method === 'chat.postMessage' && ok(c));
  const cardPosts = new Map<string, { ts: string }[]>(); // channel|number → posts
  const threadLines = new Map<string, string[]>(); // channel|ts → texts
  const topLevel = new Map<string, string[]>(); // channel → texts of top-level posts (alerts)
  for (const c of posts) {
    const channel = String(c.params.channel);
    const blocks = c.params.blocks as any[] | undefined;
    if (c.params.thread_ts) {
      if (isThreadLine(c.params)) {
        const k = `${channel}|${c.params.thread_ts}`;
        threadLines.set(k, [...(threadLines.get(k) ?? []), String(c.params.text ?? '')]);
      }
      continue;
    }
    const number = cardNumber({ blocks, text: c.params.text });
    if (number) {
      const k = `${channel}|${number}`;
      cardPosts.set(k, [...(cardPosts.get(k) ?? []), { ts: String(c.response.ts) }]);
    } else {
      topLevel.set(channel, [...(topLevel.get(channel) ?? []), JSON.stringify(blocks ?? c.params.text ?? '')]);
    }
  }

  // --- Telegram: what the residents' chats received
  const notices = new Counter<string>(); // chat|number|type
  const questions = new Counter<string>(); // chat|callbackId
  for (const c of tg.calls) {
    if (c.method !== 'sendMessage' || !ok(c)) continue;
    const chat = String(c.params.chat_id);
    const n = readNotification(String(c.params.text ?? ''));
    if (n) notices.bump(`${chat}|${n.number}|${n.type}`);
    const rate = buttonsOf(c.params).find((b) => /^cb:\d+:[sfd]$/.test(b.callback_data));
    if (rate) questions.bump(`${chat}|${rate.callback_data.split(':')[1]}`);
  }

  const staffReplies = new Counter<string>(); // chat|number|words
  const replyHead = t('zh-CN', 'telegram.staffreply.heading').split('{')[0];
  for (const c of tg.calls) {
    if (c.method !== 'sendMessage' || !ok(c)) continue;
    const text = String(c.params.text ?? '');
    if (!text.startsWith(replyHead)) continue;
    const m = /^[^\n]*?([TSQP]\d{8}-\d{4,})[^\n]*\n([\s\S]*)$/.exec(text);
    if (m) staffReplies.bump(`${c.params.chat_id}|${m[1]}|${m[2]}`);
  }
  const conversation = { notes: 0, urgings: 0, files: 0, filesArrived: 0, staffReplies: 0, repliesArrived: 0 };

  const missing = (what: string, key: string | undefined) => {
    if (key && owedStill.has(key)) return; // counted with the outbox rows still owed
    lost++;
    problems.push(`lost: ${what}`);
  };
  const extra = (what: string, n: number, on: 'slack' | 'telegram' = 'slack') => {
    duplicated += n;
    duplicatedOn[on] += n;
    problems.push(`duplicated ×${n}: ${what}`);
  };

  for (const tk of tickets) {
    const branch = tk.branchId ? org.branches.get(tk.branchId) : undefined;
    const cardRows = rows.filter((r) => r.kind === 'ticket_card' && parse<{ ticketId: number }>(r.payload)?.ticketId === tk.id);
    // a report linked to an incident owes no card of its own, unless it became an ordinary ticket again (还不热) or had one before the incident
    const dispatch = tk.incidentId && !cardRows.length ? undefined : branch?.channels.dispatch;
    if (dispatch) {
      expected++;
      const cards = cardPosts.get(`${dispatch}|${tk.number}`) ?? [];
      if (cards.length === 0) missing(`the card of ${tk.number} in ${dispatch}`, cardRows[0]?.key);
      if (cards.length > 1) extra(`the card of ${tk.number} in ${dispatch}`, cards.length - 1);
      const card = cards[0] ? slack.message(dispatch, cards[0].ts) : undefined;
      // the card shows where the ticket is now (its last update arrived)
      const label = t('zh-CN', `common.status.${tk.status}`);
      if (card && !String(card.text ?? '').endsWith(`· ${label}`) && !cardRows.some((r) => owedStill.has(r.key))) {
        lost++;
        problems.push(`lost: the last update of the card of ${tk.number} (shows "${card.text}", the ticket is ${tk.status})`);
      }
      // one thread line per step after the card was posted
      const want = new Map<string, { n: number; key: string }>();
      for (const r of cardRows.slice(1)) {
        const p = parse<{ eventId?: number; event?: string }>(r.payload);
        // as the deliverer finds it: by id, or (a row owed with a bulk change) the latest of its type
        const e = p?.eventId ? tk.events.find((x) => x.id === p.eventId) : p?.event ? tk.events.findLast((x) => x.type === p.event) : undefined;
        if (!e) continue;
        const step = isShownEvent(e);
        if (!step && !isConversationEvent(e)) continue;
        // the deliverer's own choice (slack/deliverer.ts card): a step's line, else the conversation's
        const line = step ? eventLine(ctx, e) : conversationLine(ctx, e);
        want.set(line, { n: (want.get(line)?.n ?? 0) + 1, key: r.key });
        expected++;
        if (!step && e.type === 'note') conversation.notes++;
        if (!step && e.type === 'urged') conversation.urgings++;
        // a resident's photo or voice message: its file in the thread, named after the row
        if (!step && residentFile(e) && cards[0]) {
          expected++;
          conversation.files++;
          const files = slack.filesIn(dispatch, cards[0].ts).filter((f) => f.name.replace(/\.[^.]*$/, '') === `${residentFile(e)!.kind}-${r.id}`);
          const fileLine = (slack.thread(dispatch, cards[0].ts) ?? []).filter(
            (m) => m.metadata?.event_payload?.outbox_id === r.id && m.metadata?.event_payload?.part === 'file-missing',
          );
          const n = files.length + fileLine.length;
          if (n === 0) missing(`the ${residentFile(e)!.kind} of ${tk.number} in its thread (event ${e.id})`, r.key);
          else conversation.filesArrived++;
          if (n > 1) extra(`the ${residentFile(e)!.kind} of ${tk.number} in its thread (event ${e.id})`, n - 1);
        }
      }
      const got = new Counter<string>();
      if (cards[0]) for (const line of threadLines.get(`${dispatch}|${cards[0].ts}`) ?? []) got.bump(line);
      for (const [line, w] of want) {
        const g = got.get(line) ?? 0;
        if (g < w.n) for (let i = g; i < w.n; i++) missing(`thread line "${line}" of ${tk.number}`, w.key);
        if (g > w.n) extra(`thread line "${line}" of ${tk.number}`, g - w.n);
      }
      for (const [line, g] of got) if (!want.has(line)) extra(`thread line "${line}" of ${tk.number} (no such step)`, g);
    }
    // a linked report is alerted only if its rows say so (the incident's card speaks for it)
    const alerted = (key: string) => !tk.incidentId || byKey.has(key);
    if (branch && tk.severity !== 'normal' && branch.channels.urgent && alerted(`urgent:${tk.id}:${branch.id}`)) {
      expected++;
      const n = (topLevel.get(branch.channels.urgent) ?? []).filter((s) => s.includes(tk.number)).length;
      if (n === 0) missing(`the urgent alert of ${tk.number}`, `urgent:${tk.id}:${branch.id}`);
      if (n > 1) extra(`the urgent alert of ${tk.number}`, n - 1);
    }
    const leaders = org.config.centre.channels.leaders;
    if (tk.severity === 'major' && leaders && alerted(`major:${tk.id}`)) {
      expected++;
      const n = (topLevel.get(leaders) ?? []).filter((s) => s.includes(tk.number)).length;
      if (n === 0) missing(`the major alert of ${tk.number}`, `major:${tk.id}`);
      if (n > 1) extra(`the major alert of ${tk.number}`, n - 1);
    }

    const chat = tk.resident?.chatId;
    if (chat) {
      const want = new Counter<string>();
      for (const e of tk.events) {
        if (!(UPDATE_EVENTS as readonly string[]).includes(e.type) || e.actor === `resident:${tk.residentId}`) continue;
        // a notification the deliverer skipped (its row is sent with {skipped}) is not owed
        const row = byKey.get(`tg:${tk.id}:${e.id}`);
        if (row && parse<{ skipped?: boolean }>(row.result)?.skipped) continue;
        // a linked report's steps are told by the incident's own notices (its rows decide what is owed)
        if (tk.incidentId && !row) continue;
        want.bump(e.type);
      }
      for (const [type, w] of want) {
        expected += w;
        const g = notices.get(`${chat}|${tk.number}|${type}`) ?? 0;
        const key = tk.events
          .filter((e) => e.type === type)
          .map((e) => `tg:${tk.id}:${e.id}`)
          .find((k) => owedStill.has(k));
        if (g < w) for (let i = g; i < w; i++) missing(`the "${type}" notification of ${tk.number} to chat ${chat}`, key);
        if (g > w) extra(`the "${type}" notification of ${tk.number} to chat ${chat}`, g - w, 'telegram');
      }
      // every staff reply reaches the resident once
      const replies = new Counter<string>();
      for (const e of tk.events) if (e.type === 'staff_reply' && e.note) replies.bump(e.note);
      for (const [words, w] of replies) {
        expected += w;
        conversation.staffReplies += w;
        const g = staffReplies.get(`${chat}|${tk.number}|${words}`) ?? 0;
        conversation.repliesArrived += Math.min(g, w);
        const key = tk.events
          .filter((e) => e.type === 'staff_reply' && e.note === words)
          .map((e) => `reply:${tk.id}:${e.id}`)
          .find((k) => owedStill.has(k));
        if (g < w) for (let i = g; i < w; i++) missing(`the staff reply "${words}" of ${tk.number} to chat ${chat}`, key);
        if (g > w) extra(`the staff reply "${words}" of ${tk.number} to chat ${chat}`, g - w, 'telegram');
      }
      for (const cb of tk.callbacks.filter((c) => c.channel === 'telegram')) {
        // a linked report's callback is asked by the restoration's 暖气恢复了吗 first: still cold answers it without a rating question
        if (tk.incidentId && !byKey.has(`cbq:${cb.id}`) && !questions.has(`${chat}|${cb.id}`)) continue;
        expected++;
        const g = questions.get(`${chat}|${cb.id}`) ?? 0;
        if (g === 0) missing(`the callback question ${cb.id} of ${tk.number}`, `cbq:${cb.id}`);
        if (g > 1) extra(`the callback question ${cb.id} of ${tk.number}`, g - 1, 'telegram');
      }
    }
  }

  // a resident who was told the report went in has a ticket
  for (const id of reporters) {
    expected++;
    if (!tickets.some((tk) => tk.resident?.telegramUserId === String(id))) {
      lost++;
      problems.push(`lost: the report of Telegram user ${id}, who was told it was filed, is no ticket`);
    }
  }

  const notClosed = tickets.filter((tk) => tk.status !== 'closed').map((tk) => `${tk.number} ${tk.status}`);
  return {
    tickets: tickets.length,
    closed: tickets.length - notClosed.length,
    notClosed,
    expected,
    delivered: rows.filter((r) => r.state === 'sent').length,
    pending: rows.filter((r) => r.state === 'pending').length,
    dead: rows.filter((r) => r.state === 'dead').length,
    lost,
    duplicated,
    duplicatedOn,
    conversation,
    problems,
  };
}

/** Event types whose step owes the branch a card update (notify-plan: every event of a ticket with a branch). */
const STEPS = ['accepted', 'arrived', 'resolved', 'reopened', 'closed', 'transferred'];

/**
 * Nothing half-stored: every ticket has its events, its status is where its last step put it, and
 * every step owed its card update in the same transaction (the outbox row exists). Returns the
 * problems found (empty when consistent).
 */
export async function consistencyProblems(db: Db, org: Org): Promise<string[]> {
  const tickets = await db.ticket.findMany({ include: { events: { orderBy: [{ at: 'asc' }, { id: 'asc' }] } } });
  const keys = new Set((await db.outboxMessage.findMany({ select: { key: true } })).map((r) => r.key));
  const out: string[] = [];
  for (const tk of tickets) {
    if (!tk.events.length) {
      out.push(`${tk.number} has no events`);
      continue;
    }
    const last = [...tk.events].reverse().find((e) => e.toStatus);
    if (last && last.toStatus !== tk.status) out.push(`${tk.number} is ${tk.status} but its last step (${last.type}) says ${last.toStatus}`);
    const dispatch = tk.branchId ? org.branches.get(tk.branchId)?.channels.dispatch : undefined;
    if (!dispatch) continue;
    for (const e of tk.events)
      if (STEPS.includes(e.type) && !keys.has(`card:${tk.id}:${e.id}`)) out.push(`${tk.number}: the "${e.type}" step owes no card update`);
  }
  return out;
}

/** A step's line in a card's thread: the outbox names the part of its delivery in the message metadata (slack/deliverer.ts). */
function isThreadLine(params: Record<string, unknown>): boolean {
  const m = typeof params.metadata === 'string' ? JSON.parse(params.metadata) : params.metadata;
  return (m as { event_payload?: { part?: unknown } } | undefined)?.event_payload?.part === 'line';
}
