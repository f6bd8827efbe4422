/**
 * Readable transcripts of a run: one resident's chat with the bot (what they sent and tapped,
 * what the bot answered, in order) and the matching Slack channel (the ticket's card as it was
 * posted and updated, its thread, and the staff's clicks). Calls the fakes refused are shown
 * as one short line, so a run with faults shows where the service had to try again.
 */
import type { FakeSlackCall } from '../dev/fake-slack-api.js';
import type { FakeTelegramCall } from '../dev/fake-telegram-api.js';
import type { SlackSide } from './slack-side.js';
import { cardNumber } from './slack-side.js';
import { buttonsOf, type TelegramSide } from './telegram-side.js';

interface Entry {
  seq: number;
  order: number;
  at: number;
  lines: string[];
}

const indent = (text: string, pad: string) =>
  text
    .split('\n')
    .map((l, i) => (i === 0 ? l : `${pad}${l}`))
    .join('\n');
const stamp = (at: number, t0: number) => `+${((at - t0) / 1000).toFixed(1).padStart(6)}s`;

function sorted(entries: Entry[]): Entry[] {
  return entries.sort((a, b) => a.seq - b.seq || a.order - b.order);
}

/** The resident's side: their messages and taps, the bot's messages, edits and toasts. */
export function residentTranscript(tg: TelegramSide, chatId: number, name: string, t0: number): string[] {
  const entries: Entry[] = [];
  const myQueries = new Set<string>();
  for (const a of tg.acts) {
    if (a.chatId !== chatId) continue;
    if (a.queryId) myQueries.add(a.queryId);
    entries.push({ seq: a.seq, order: 0, at: a.at, lines: [`${stamp(a.at, t0)}  👤 ${name}: ${a.text}`] });
  }
  tg.fake.calls.forEach((c: FakeTelegramCall, seq) => {
    const forMe = Number(c.params.chat_id) === chatId || (c.method === 'answerCallbackQuery' && myQueries.has(String(c.params.callback_query_id)));
    if (!forMe) return;
    const pad = ' '.repeat(14);
    if (c.status !== 200) {
      const after = c.response.parameters?.retry_after ? `, retry after ${c.response.parameters.retry_after} s` : '';
      entries.push({ seq, order: 1, at: c.at, lines: [`${stamp(c.at, t0)}     ✗ ${c.method} refused by Telegram (${c.status}${after})`] });
      return;
    }
    const buttons = buttonsOf(c.params)
      .map((b) => `[${b.text}]`)
      .join(' ');
    const text = String(c.params.text ?? '');
    if (c.method === 'sendMessage')
      entries.push({ seq, order: 1, at: c.at, lines: [`${stamp(c.at, t0)}  🤖 bot: ${indent(text, pad)}`, ...(buttons ? [`${pad}${buttons}`] : [])] });
    else if (c.method === 'editMessageText')
      entries.push({ seq, order: 1, at: c.at, lines: [`${stamp(c.at, t0)}  🤖 bot (edits its message): ${indent(text, pad)}`] });
    else if (c.method === 'answerCallbackQuery' && c.params.text)
      entries.push({ seq, order: 1, at: c.at, lines: [`${stamp(c.at, t0)}  🤖 bot (toast): ${c.params.text}`] });
  });
  return sorted(entries).flatMap((e) => e.lines);
}

/** The branch channel's side of some tickets: card posts and updates, thread lines, alerts, clicks. */
export function channelTranscript(slack: SlackSide, numbers: Set<string>, channels: string[], t0: number): string[] {
  const entries: Entry[] = [];
  const cardTs = new Set<string>();
  slack.fake.calls.forEach((c: FakeSlackCall, seq) => {
    if (!channels.includes(String(c.params.channel ?? c.params.channel_id))) return;
    const blocks = c.params.blocks as any[] | undefined;
    const text = String(c.params.text ?? '');
    const ok = c.status === 200 && c.response.ok !== false;
    const add = (line: string) => entries.push({ seq, order: 1, at: c.at, lines: [`${stamp(c.at, t0)}${line}`] });
    const refused = (what: string) => add(`     ✗ ${what} refused by Slack (${c.status} ${c.response.error ?? ''})`);
    if (c.method === 'chat.postMessage' && !c.params.thread_ts) {
      const number = cardNumber({ blocks, text });
      const mine = number ? numbers.has(number) : [...numbers].some((n) => JSON.stringify(blocks ?? text).includes(n));
      if (!mine) return;
      if (!ok) {
        refused('chat.postMessage');
        return;
      }
      if (number) cardTs.add(`${c.params.channel}|${c.response.ts}`);
      add(`  📋 ${number ? 'card posted' : 'alert posted'} in ${c.params.channel}: ${text}`);
    } else if (c.method === 'chat.update' && cardTs.has(`${c.params.channel}|${c.params.ts}`)) {
      if (ok) add(`  📋 card updated: ${text}`);
      else refused('chat.update');
    } else if (c.method === 'files.completeUploadExternal' && cardTs.has(`${c.params.channel_id ?? c.params.channel}|${c.params.thread_ts}`)) {
      const files = (typeof c.params.files === 'string' ? JSON.parse(c.params.files) : c.params.files) as { title?: string }[] | undefined;
      if (ok) add(`     ↳ thread: 📎 ${(files ?? []).map((f) => f.title ?? 'file').join(', ')} (uploaded)`);
      else refused('file upload');
    } else if (c.method === 'chat.postMessage' && cardTs.has(`${c.params.channel}|${c.params.thread_ts}`)) {
      if (ok) add(`     ↳ thread: ${text.split('\n')[0]}`);
      else refused('thread reply');
    }
  });
  for (const a of slack.acts) {
    if (!numbers.has(a.number)) continue;
    entries.push({ seq: a.seq, order: 0, at: a.at, lines: [`${stamp(a.at, t0)}  👷 ${a.text}`] });
  }
  return sorted(entries).flatMap((e) => e.lines);
}
