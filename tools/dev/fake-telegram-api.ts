/**
 * A fake Telegram Bot API for tests, the simulator and fault drills: a real HTTP server on the
 * loopback interface that answers /bot<token>/<method> the way Telegram does ({ok, result} or
 * {ok: false, error_code, description, parameters}). Point the bot's apiRoot (TELEGRAM_API_ROOT)
 * at `apiRoot`.
 *
 * It keeps each chat's messages, the residents' (registered with `userMessage`) and the bot's,
 * so that a reply carries reply_to_message like Telegram's, edits change what the person sees,
 * and editing a message that does not exist (or changing nothing) fails like Telegram. Every call
 * is recorded with its parameters; getUpdates serves updates queued with `queueUpdate` (polling).
 *
 * Faults: `faults` answers a share of calls with HTTP 500 or 429 + parameters.retry_after;
 * `failNext` answers the next calls of one method with a chosen error, for exact tests;
 * `blockChat` makes every send to a chat fail with 403 like a resident who blocked the bot.
 * A callback query is answered once, as on Telegram: a second answer is refused with 400.
 *
 * Rate limits (opt-in, `rateLimits`): sends and edits beyond Telegram's limits for a bot (about
 * 30 a second in all, one a second per chat, short bursts allowed) are refused with 429 and
 * parameters.retry_after like Telegram's, and counted in `rateLimited`: a test shows that the
 * service stays within them (nothing refused) or recovers (everything arrives).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';
import { LimitBucket, LimitBuckets } from './platform-limits.js';

export interface FakeTelegramCall {
  method: string;
  params: Record<string, any>;
  token: string;
  /** HTTP status the fake answered with */
  status: number;
  response: Record<string, any>;
  /** when the fake answered (ms since the epoch): lets a test check that retry_after was waited */
  at: number;
}

/** A message as the fake keeps it: what the person in the chat sees now. */
export interface FakeTelegramMessage {
  message_id: number;
  date: number;
  chat: { id: number; type: string };
  from?: { id: number; is_bot: boolean; first_name: string; username?: string };
  text?: string;
  caption?: string;
  photo?: { file_id: string; file_unique_id: string; width: number; height: number }[];
  reply_markup?: any;
  reply_to_message?: Omit<FakeTelegramMessage, 'reply_to_message'>;
  edit_date?: number;
  [k: string]: unknown;
}

export interface FakeTelegramFaults {
  /** share of calls answered with HTTP 500 (0..1) */
  error500Rate?: number;
  /** share of calls answered with HTTP 429 and parameters.retry_after (0..1) */
  rateLimitRate?: number;
  /** seconds in retry_after */
  retryAfterSec?: number;
  /** only these methods fail (default: all but getMe) */
  methods?: string[];
  /** random source, for repeatable runs */
  random?: () => number;
}

/** Telegram's limits for one bot, enforced when set (defaults: 30 a second in all, 1 a second per chat with bursts of 3). */
export interface FakeTelegramRateLimits {
  perSecond?: number;
  perChatPerSecond?: number;
  perChatBurst?: number;
}

export interface FailNext {
  status?: 400 | 403 | 429 | 500 | 502;
  description?: string;
  retryAfterSec?: number;
  times?: number;
}

export const FAKE_BOT = { id: 7_000_000_001, is_bot: true, first_name: 'Heating Demo Bot', username: 'heating_demo_bot' } as const;

const SEND_METHODS = new Set(['sendMessage', 'sendPhoto', 'sendDocument', 'sendLocation', 'sendContact', 'copyMessage', 'forwardMessage']);
/** what Telegram's limits count: a bot's messages, new or edited */
const LIMITED_METHODS = new Set([...SEND_METHODS, 'editMessageText', 'editMessageReplyMarkup', 'editMessageCaption']);

export class FakeTelegramApi {
  readonly calls: FakeTelegramCall[] = [];
  faults: FakeTelegramFaults = {};
  private readonly chats = new Map<number, FakeTelegramMessage[]>();
  private readonly queued = new Map<string, FailNext[]>();
  private readonly blocked = new Set<number>();
  private readonly answered = new Set<string>();
  private readonly updates: unknown[] = [];
  private waiting: (() => void)[] = [];
  private callWaiters: { match: (c: FakeTelegramCall) => boolean; resolve: (c: FakeTelegramCall) => void }[] = [];
  private nextId = 500_000;
  /** file ids getFile refuses (gone, or too big for the Bot API), with the refusal */
  private readonly unavailable = new Map<string, string>();
  webhook: { url: string; secret_token?: string; allowed_updates?: string[] } | null = null;
  /** calls refused with 429 by the rate limits (not by `faults` or `failNext`) */
  rateLimited = 0;
  private limits: { all: LimitBucket; chats: LimitBuckets } | null = null;

  private constructor(
    private readonly server: Server,
    /** http://127.0.0.1:<port>: what grammY's client.apiRoot wants */
    readonly apiRoot: string,
  ) {}

  static async start(opts: { faults?: FakeTelegramFaults; port?: number; rateLimits?: boolean | FakeTelegramRateLimits } = {}): Promise<FakeTelegramApi> {
    let fake: FakeTelegramApi | undefined;
    const server = createServer((req, res) => void fake!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakeTelegramApi(server, `http://127.0.0.1:${port}`);
    fake.faults = opts.faults ?? {};
    if (opts.rateLimits) fake.rateLimits(opts.rateLimits === true ? {} : opts.rateLimits);
    return fake;
  }

  /** Turns Telegram's rate limits on (or off with null), afresh: no call counted yet. */
  rateLimits(l: FakeTelegramRateLimits | null): void {
    this.limits = l && {
      all: new LimitBucket(l.perSecond ?? 30, l.perSecond ?? 30),
      chats: new LimitBuckets(l.perChatPerSecond ?? 1, l.perChatBurst ?? 3),
    };
  }

  /** A 429 when this call goes beyond the limits; null when they cover it (it is then counted). */
  private overLimit(method: string, chatId: number | undefined): { status: number; response: Record<string, any> } | null {
    if (!this.limits || !LIMITED_METHODS.has(method)) return null;
    const chat = chatId === undefined ? null : this.limits.chats.of(String(chatId));
    const refused = chat && !chat.covers() ? chat.take() : this.limits.all.take();
    if (refused.ok) {
      chat?.take();
      return null;
    }
    this.rateLimited++;
    const after = refused.retryAfterSec;
    return { status: 429, response: error(429, `Too Many Requests: retry after ${after}`, after) };
  }

  async close(): Promise<void> {
    for (const w of this.waiting) w();
    this.waiting = [];
    this.server.closeAllConnections?.();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Calls of one method (or all), in order. */
  callsOf(method?: string): FakeTelegramCall[] {
    return method ? this.calls.filter((c) => c.method === method) : [...this.calls];
  }

  /**
   * Resolves with the first recorded call (from now or earlier) that matches: lets a test wait
   * for the bot to have said something (long polling, background work) without sleeping.
   */
  waitForCall(match: (c: FakeTelegramCall) => boolean, timeoutMs = 10_000): Promise<FakeTelegramCall> {
    const done = this.calls.find(match);
    if (done) return Promise.resolve(done);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('waitForCall: no such call in time')), timeoutMs);
      this.callWaiters.push({
        match,
        resolve: (c) => {
          clearTimeout(timer);
          resolve(c);
        },
      });
    });
  }

  /** Forget recorded calls (the chats stay). */
  clearCalls(): void {
    this.calls.length = 0;
  }

  /** Answer the next `times` calls of `method` with an error. */
  failNext(method: string, f: FailNext = {}): void {
    const list = this.queued.get(method) ?? [];
    for (let i = 0; i < (f.times ?? 1); i++) list.push(f);
    this.queued.set(method, list);
  }

  /** Sends to this chat fail with 403 from now on, as when a resident blocks the bot. */
  blockChat(chatId: number | string): void {
    this.blocked.add(Number(chatId));
  }

  /** The resident unblocked the bot: sends to the chat go through again. */
  unblockChat(chatId: number | string): void {
    this.blocked.delete(Number(chatId));
  }

  /** A message the person sent: kept so that the bot's replies to it carry it. */
  userMessage(message: FakeTelegramMessage): void {
    this.store(message);
  }

  /**
   * Files: getFile knows every file id (a photo's path ends in .jpg, a voice message's in .oga)
   * and GET /file/bot<token>/<path> gives its bytes (`fileBytes`); a file made unavailable here
   * is refused by getFile with 400, as Telegram refuses a file past 20 MB or one it no longer has.
   */
  fileUnavailable(fileId: string, description = 'Bad Request: file is too big'): void {
    this.unavailable.set(fileId, description);
  }

  /** The bytes the fake serves for a file id. */
  static fileBytes(fileId: string): Buffer {
    return Buffer.from(`fake file ${fileId}`, 'utf8');
  }

  /** Hand an update to the next getUpdates call (long polling). */
  queueUpdate(update: unknown): void {
    this.updates.push(update);
    const w = this.waiting;
    this.waiting = [];
    for (const f of w) f();
  }

  /** Everything in a chat, oldest first, with the edits applied. */
  messagesIn(chatId: number | string): FakeTelegramMessage[] {
    return [...(this.chats.get(Number(chatId)) ?? [])];
  }

  /** What the bot said in a chat, oldest first. */
  botMessages(chatId: number | string): FakeTelegramMessage[] {
    return this.messagesIn(chatId).filter((m) => m.from?.is_bot);
  }

  message(chatId: number | string, messageId: number): FakeTelegramMessage | undefined {
    return this.chats.get(Number(chatId))?.find((m) => m.message_id === messageId);
  }

  private store(m: FakeTelegramMessage): void {
    const list = this.chats.get(m.chat.id) ?? [];
    list.push(m);
    this.chats.set(m.chat.id, list);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec((req.url ?? '').split('?')[0]);
    if (file) return this.download(file[1], decodeURIComponent(file[2]), res);
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec((req.url ?? '').split('?')[0]);
    const body = await readBody(req);
    if (!m) return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, token, method] = m;
    const query = Object.fromEntries(new URLSearchParams((req.url ?? '').split('?')[1] ?? ''));
    const params = { ...query, ...parseBody(req.headers['content-type'], body) };
    const { status, response } = await this.answer(method, params);
    const call = { method, params, token, status, response, at: Date.now() };
    this.calls.push(call);
    const ready = this.callWaiters.filter((w) => w.match(call));
    this.callWaiters = this.callWaiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve(call);
    const headers = status === 429 && response.parameters?.retry_after ? { 'retry-after': String(response.parameters.retry_after) } : undefined;
    send(res, status, response, headers);
  }

  /** GET /file/bot<token>/<path>: the file's bytes (recorded as the call "download"). */
  private download(token: string, path: string, res: ServerResponse): void {
    const fileId = path.replace(/^[^/]+\//, '').replace(/\.[a-z]+$/, '');
    const ok = !this.unavailable.has(fileId);
    this.calls.push({ method: 'download', params: { path }, token, status: ok ? 200 : 404, response: {}, at: Date.now() });
    if (!ok) {
      send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.end(FakeTelegramApi.fileBytes(fileId));
  }

  private fault(method: string): { status: number; response: Record<string, any> } | null {
    const queued = this.queued.get(method);
    if (queued?.length) {
      const f = queued.shift()!;
      const status = f.status ?? 500;
      return { status, response: error(status, f.description ?? defaultDescription(status), status === 429 ? (f.retryAfterSec ?? 1) : undefined) };
    }
    const fl = this.faults;
    if (method === 'getMe' || (fl.methods && !fl.methods.includes(method))) return null;
    const r = fl.random ?? Math.random;
    if (fl.error500Rate && r() < fl.error500Rate) return { status: 500, response: error(500, 'Internal Server Error') };
    if (fl.rateLimitRate && r() < fl.rateLimitRate) {
      const after = fl.retryAfterSec ?? 1;
      return { status: 429, response: error(429, `Too Many Requests: retry after ${after}`, after) };
    }
    return null;
  }

  private async answer(method: string, p: Record<string, any>): Promise<{ status: number; response: Record<string, any> }> {
    const f = this.fault(method);
    if (f) return f;
    const ok = (result: unknown) => ({ status: 200, response: { ok: true, result } });
    const bad = (status: number, description: string) => ({ status, response: error(status, description) });
    const chatId = p.chat_id !== undefined ? Number(p.chat_id) : undefined;
    const limited = this.overLimit(method, chatId);
    if (limited) return limited;
    if (SEND_METHODS.has(method) && chatId !== undefined && this.blocked.has(chatId)) return bad(403, 'Forbidden: bot was blocked by the user');
    switch (method) {
      case 'getMe':
        return ok({ ...FAKE_BOT, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false });
      case 'sendMessage':
      case 'sendPhoto': {
        if (chatId === undefined || Number.isNaN(chatId)) return bad(400, 'Bad Request: chat not found');
        const text = method === 'sendMessage' ? String(p.text ?? '') : undefined;
        if (method === 'sendMessage' && !text) return bad(400, 'Bad Request: message text is empty');
        if (text && text.length > 4096) return bad(400, 'Bad Request: message is too long');
        const markup = parseJson(p.reply_markup);
        const bad64 = callbackDataTooLong(markup);
        if (bad64) return bad(400, `Bad Request: BUTTON_DATA_INVALID (${bad64})`);
        const replyTo = parseJson(p.reply_parameters)?.message_id ?? p.reply_to_message_id;
        const original = replyTo ? this.message(chatId, Number(replyTo)) : undefined;
        const msg: FakeTelegramMessage = {
          message_id: this.nextId++,
          date: Math.floor(Date.now() / 1000),
          chat: { id: chatId, type: chatId > 0 ? 'private' : 'group' },
          from: { ...FAKE_BOT },
          ...(text !== undefined
            ? { text }
            : { caption: p.caption, photo: [{ file_id: String(p.photo), file_unique_id: `u${this.nextId}`, width: 800, height: 600 }] }),
          ...(markup ? { reply_markup: markup } : {}),
          ...(p.entities ? { entities: parseJson(p.entities) } : {}),
          ...(original ? { reply_to_message: withoutReply(original) } : {}),
        };
        this.store(msg);
        return ok(msg);
      }
      case 'editMessageText':
      case 'editMessageReplyMarkup': {
        const msg = chatId !== undefined ? this.message(chatId, Number(p.message_id)) : undefined;
        if (!msg) return bad(400, 'Bad Request: message to edit not found');
        const markup = parseJson(p.reply_markup);
        const bad64 = callbackDataTooLong(markup);
        if (bad64) return bad(400, `Bad Request: BUTTON_DATA_INVALID (${bad64})`);
        const text = method === 'editMessageText' ? String(p.text ?? '') : msg.text;
        if (text === msg.text && JSON.stringify(markup ?? null) === JSON.stringify(msg.reply_markup ?? null)) {
          return bad(
            400,
            'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
          );
        }
        msg.text = text;
        // what the person sees: the edit's own formatting, none if it brought none
        if (method === 'editMessageText') {
          if (p.entities) msg.entities = parseJson(p.entities);
          else delete msg.entities;
        }
        if (markup && (markup.inline_keyboard?.length ?? 0) > 0) msg.reply_markup = markup;
        else delete msg.reply_markup;
        msg.edit_date = Math.floor(Date.now() / 1000);
        return ok(msg);
      }
      case 'deleteMessage': {
        const list = chatId !== undefined ? this.chats.get(chatId) : undefined;
        const i = list?.findIndex((m) => m.message_id === Number(p.message_id)) ?? -1;
        if (i < 0) return bad(400, 'Bad Request: message to delete not found');
        list!.splice(i, 1);
        return ok(true);
      }
      case 'getUpdates': {
        const offset = Number(p.offset ?? 0);
        while (this.updates.length && (this.updates[0] as { update_id: number }).update_id < offset) this.updates.shift();
        if (!this.updates.length && Number(p.timeout ?? 0) > 0) {
          // Long polling: hold the request until an update is queued (or a short while passes).
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, Math.min(Number(p.timeout) * 1000, 250));
            this.waiting.push(() => {
              clearTimeout(timer);
              resolve();
            });
          });
        }
        return ok(this.updates.filter((u) => (u as { update_id: number }).update_id >= offset).slice(0, Number(p.limit ?? 100)));
      }
      case 'setWebhook':
        this.webhook = { url: String(p.url), secret_token: p.secret_token, allowed_updates: parseJson(p.allowed_updates) };
        return ok(true);
      case 'deleteWebhook':
        this.webhook = null;
        return ok(true);
      case 'getWebhookInfo':
        return ok({ url: this.webhook?.url ?? '', has_custom_certificate: false, pending_update_count: 0 });
      case 'answerCallbackQuery': {
        // Telegram takes one answer per query: a second one is refused
        const id = String(p.callback_query_id);
        if (this.answered.has(id)) return bad(400, 'Bad Request: query is too old and response timeout expired or query ID is invalid');
        this.answered.add(id);
        return ok(true);
      }
      case 'setMyCommands':
      case 'deleteMyCommands':
      case 'setChatMenuButton':
      case 'setMyDescription':
      case 'setMyShortDescription':
      case 'sendChatAction':
      case 'logOut':
      case 'close':
        return ok(true);
      case 'getMyCommands':
        return ok([]);
      case 'getFile': {
        const fileId = String(p.file_id ?? '');
        if (!fileId) return bad(400, 'Bad Request: invalid file_id');
        const refused = this.unavailable.get(fileId);
        if (refused) return bad(400, refused);
        const folder = /^voice|^audio/.test(fileId) ? 'voice' : 'photos';
        const path = `${folder}/${fileId}.${folder === 'voice' ? 'oga' : 'jpg'}`;
        return ok({ file_id: fileId, file_unique_id: `u-${fileId}`, file_size: FakeTelegramApi.fileBytes(fileId).length, file_path: path });
      }
      default:
        return bad(404, 'Not Found: method not found');
    }
  }
}

function withoutReply(m: FakeTelegramMessage): Omit<FakeTelegramMessage, 'reply_to_message'> {
  const { reply_to_message: _drop, ...rest } = m;
  return structuredClone(rest);
}

function callbackDataTooLong(markup: any): string | null {
  for (const row of markup?.inline_keyboard ?? []) {
    for (const b of row) {
      if (typeof b.callback_data === 'string' && (Buffer.byteLength(b.callback_data) > 64 || b.callback_data.length === 0)) return b.callback_data;
    }
  }
  return null;
}

function error(status: number, description: string, retryAfter?: number): Record<string, any> {
  return { ok: false, error_code: status, description, ...(retryAfter !== undefined ? { parameters: { retry_after: retryAfter } } : {}) };
}

function defaultDescription(status: number): string {
  return status === 429
    ? 'Too Many Requests: retry later'
    : status === 403
      ? 'Forbidden: bot was blocked by the user'
      : status === 400
        ? 'Bad Request'
        : 'Internal Server Error';
}

function parseJson(v: unknown): any {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

function parseBody(contentType: string | undefined, body: string): Record<string, any> {
  if (!body) return {};
  if (contentType?.includes('application/json')) return JSON.parse(body);
  if (contentType?.includes('application/x-www-form-urlencoded')) return parseQuery(body) as Record<string, any>;
  if (contentType?.includes('multipart/form-data')) return parseMultipart(contentType, body);
  return {};
}

/** Text fields of a multipart body (files are recorded by field name only). */
function parseMultipart(contentType: string, body: string): Record<string, any> {
  const boundary = /boundary=(.+)$/.exec(contentType)?.[1];
  if (!boundary) return {};
  const out: Record<string, any> = {};
  for (const part of body.split(`--${boundary}`)) {
    const name = /name="([^"]+)"/.exec(part)?.[1];
    if (!name) continue;
    const value = part.split('\r\n\r\n').slice(1).join('\r\n\r\n').replace(/\r\n$/, '');
    out[name] = /filename="/.test(part) ? `[file:${name}]` : value;
  }
  return out;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
