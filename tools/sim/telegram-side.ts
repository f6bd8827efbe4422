/**
 * Telegram, as the service meets it: residents' messages and taps become updates POSTed to
 * /telegram/webhook with the secret header, redelivered like Telegram does when the answer is
 * not a 200 (the same update_id, again, with a growing pause); the bot's calls out land on the
 * fake Bot API (tools/dev/fake-telegram-api.ts), which keeps the chats.
 */
import type { FakeTelegramApi, FakeTelegramCall, FakeTelegramMessage } from '../dev/fake-telegram-api.js';
import type { LatencyLog } from './latency.js';
import { sleep } from './wait.js';

export const WEBHOOK_SECRET_HEADER = 'x-telegram-bot-api-secret-token';

export interface SimUser {
  id: number;
  is_bot: false;
  first_name: string;
  language_code: string;
}

/** Something a resident did, for the transcript: `seq` places it among the fake's calls. */
export interface ResidentAct {
  seq: number;
  at: number;
  chatId: number;
  text: string;
  /** a tap: the callback query it made (its toast is the bot's answer) */
  queryId?: string;
}

export interface TelegramSideOptions {
  /** the service's base URL (it changes nothing across restarts, but is read at each request) */
  url: () => string;
  secret: string;
  latency: LatencyLog;
  /** the run is over: stop redelivering */
  stopped?: () => boolean;
  /** first update_id; a second run over the same database must not reuse ids */
  firstUpdateId?: number;
}

/** Telegram gives up on an update after a while; so does the simulator (in count and time). */
const MAX_DELIVERIES = 40;
const MAX_DELIVERY_MS = 120_000;

export class TelegramSide {
  readonly acts: ResidentAct[] = [];
  private updateId: number;
  private readonly nextMessageId = new Map<number, number>();
  private querySeq = 0;
  /** redeliveries made (an update sent again after no 200) */
  redeliveries = 0;
  /** updates Telegram would have dropped after all its redeliveries */
  undelivered = 0;
  private indexed = 0;
  private readonly byChat = new Map<number, { seq: number; call: FakeTelegramCall }[]>();
  private readonly toasts = new Map<string, string>();

  constructor(
    readonly fake: FakeTelegramApi,
    private readonly o: TelegramSideOptions,
  ) {
    this.updateId = o.firstUpdateId ?? 100_000;
  }

  /** The person writes `text` (a command gets its bot_command entity, as Telegram sends it). */
  async say(user: SimUser, text: string): Promise<{ delivered: boolean; message: FakeTelegramMessage; seq: number }> {
    const id = (this.nextMessageId.get(user.id) ?? 1) + 0;
    this.nextMessageId.set(user.id, id + 1);
    const command = /^\/[A-Za-z0-9_]+/.exec(text);
    const message = {
      message_id: id,
      date: Math.floor(Date.now() / 1000),
      chat: { id: user.id, type: 'private', first_name: user.first_name },
      from: { ...user },
      text,
      ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] } : {}),
    } as unknown as FakeTelegramMessage;
    // kept by the fake, so that the bot's replies carry it in reply_to_message as Telegram's do
    this.fake.userMessage(message);
    const seq = this.record(user.id, text);
    const delivered = await this.deliver({ update_id: ++this.updateId, message });
    return { delivered, message, seq };
  }

  /** The person sends a photo (Telegram's sizes of it; the fake Bot API serves any file id). */
  async photo(user: SimUser, fileId: string, caption?: string): Promise<{ delivered: boolean; message: FakeTelegramMessage; seq: number }> {
    const id = this.nextMessageId.get(user.id) ?? 1;
    this.nextMessageId.set(user.id, id + 1);
    const message = {
      message_id: id,
      date: Math.floor(Date.now() / 1000),
      chat: { id: user.id, type: 'private', first_name: user.first_name },
      from: { ...user },
      photo: [
        { file_id: `${fileId}-s`, file_unique_id: `${fileId}-us`, width: 90, height: 68 },
        { file_id: fileId, file_unique_id: `${fileId}-u`, width: 1280, height: 960 },
      ],
      ...(caption ? { caption } : {}),
    } as unknown as FakeTelegramMessage;
    this.fake.userMessage(message);
    const seq = this.record(user.id, `[📷 photo${caption ? `: ${caption}` : ''}]`);
    const delivered = await this.deliver({ update_id: ++this.updateId, message });
    return { delivered, message, seq };
  }

  /** The person taps a button (its callback data) on a message the bot sent them. */
  async tap(user: SimUser, message: FakeTelegramMessage, data: string, label: string): Promise<{ delivered: boolean; queryId: string; seq: number }> {
    const queryId = `sim-cq-${++this.querySeq}`;
    const seq = this.record(user.id, `[${label}]`, queryId);
    const update = {
      update_id: ++this.updateId,
      callback_query: { id: queryId, from: { ...user }, chat_instance: `ci-${user.id}`, message: structuredClone(message), data },
    };
    const delivered = await this.deliver(update);
    return { delivered, queryId, seq };
  }

  /** The bot's answered calls to a chat (sendMessage, editMessageText, ...), from `seq` on. */
  botCalls(chatId: number, fromSeq = 0): FakeTelegramCall[] {
    this.index();
    const list = this.byChat.get(chatId) ?? [];
    return list.filter((e) => e.seq >= fromSeq).map((e) => e.call);
  }

  /** What the bot said in the toast of a tap (answerCallbackQuery), if that call went through. */
  toast(queryId: string): string | undefined {
    this.index();
    return this.toasts.get(queryId);
  }

  /** Calls indexed by chat as they come (the fake keeps one long list). */
  private index(): void {
    const calls = this.fake.calls;
    for (; this.indexed < calls.length; this.indexed++) {
      const c = calls[this.indexed];
      if (c.status !== 200) continue;
      if (c.method === 'answerCallbackQuery') this.toasts.set(String(c.params.callback_query_id), String(c.params.text ?? ''));
      if (c.params.chat_id === undefined) continue;
      const id = Number(c.params.chat_id);
      let list = this.byChat.get(id);
      if (!list) {
        list = [];
        this.byChat.set(id, list);
      }
      list.push({ seq: this.indexed, call: c });
    }
  }

  private record(chatId: number, text: string, queryId?: string): number {
    const seq = this.fake.calls.length;
    this.acts.push({ seq, at: Date.now(), chatId, text, ...(queryId ? { queryId } : {}) });
    return seq;
  }

  /** POSTs an update until the service answers 200, like Telegram (bounded). */
  private async deliver(update: object): Promise<boolean> {
    const body = JSON.stringify(update);
    const started = Date.now();
    for (let attempt = 0; attempt < MAX_DELIVERIES; attempt++) {
      if (attempt > 0) {
        this.redeliveries++;
        await sleep(Math.min(250 * 2 ** (attempt - 1), 2000));
      }
      if (this.o.stopped?.() && attempt > 0) break;
      const t0 = performance.now();
      try {
        const res = await fetch(`${this.o.url()}/telegram/webhook`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [WEBHOOK_SECRET_HEADER]: this.o.secret },
          body,
          signal: AbortSignal.timeout(60_000),
        });
        const text = await res.text();
        this.o.latency.add(performance.now() - t0, res.status, text);
        if (res.ok) return true;
        if (res.status < 500 && res.status !== 429) return false; // Telegram does not redeliver a refusal
      } catch {
        this.o.latency.noAnswer();
      }
      if (Date.now() - started > MAX_DELIVERY_MS) break;
    }
    this.undelivered++;
    return false;
  }
}

/** The inline buttons of a message: what the person can tap. */
export function buttonsOf(m: { reply_markup?: any } | undefined): { text: string; callback_data: string }[] {
  const markup = typeof m?.reply_markup === 'string' ? safeJson(m.reply_markup) : m?.reply_markup;
  return (markup?.inline_keyboard ?? []).flat().filter((b: any) => typeof b?.callback_data === 'string');
}

export function safeJson(s: string): any {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}
