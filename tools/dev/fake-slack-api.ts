/**
 * A fake Slack Web API for tests, the simulator and fault drills: a real HTTP server on the
 * loopback interface that answers POST /api/<method> the way Slack does ({ok: true, channel, ts}),
 * keeps the messages it was sent (so chat.update of an unknown message fails like Slack), and
 * records every call with its parameters. Point SLACK_API_URL (or the app's apiUrl) at `url`.
 *
 * Faults: `faults` answers a share of calls with HTTP 500 or 429 + Retry-After; `failNext`
 * answers the next calls of one method with a chosen status or Slack error, or carries the call
 * out and drops the connection before answering (`lose`: the answer is lost), for exact tests.
 * Messages keep their metadata; conversations.history and conversations.replies read them back
 * (newest first, or the thread oldest first, from `oldest`, with cursors) and show the metadata
 * only with include_all_metadata, like Slack. Message ts follow `now` when given (default: a fixed
 * day, so tests can name them).
 * `/response/<id>` stands in for response_url (slash command and action replies).
 * Files go up as Slack's files.uploadV2 sends them: files.getUploadURLExternal names an upload
 * URL on this fake (`/upload/<id>`), the bytes are POSTed there, and files.completeUploadExternal
 * shares them in a channel or thread: a message with `files` appears there (and in
 * conversations.replies), and `filesIn` lists them with their bytes.
 *
 * Rate limits (opt-in, `rateLimits`): chat.postMessage beyond about one a second per channel
 * (a short burst allowed) is refused with 429, error "ratelimited" and Retry-After like Slack's,
 * and counted in `rateLimited`. `failChannel` answers every call naming a channel with an error
 * (a channel whose calls fail while the others work).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';
import { LimitBuckets } from './platform-limits.js';

export interface FakeSlackCall {
  /** the Web API method (chat.postMessage), or "response_url" for a reply to a response URL */
  method: string;
  params: Record<string, any>;
  /** the token the call carried (Authorization: Bearer ...) */
  token?: string;
  /** the HTTP status the fake answered with */
  status: number;
  /** what the fake answered (ok, ts, channel, error) */
  response: Record<string, any>;
  path: string;
  /** when the fake answered (ms since the epoch): lets a test check that Retry-After was waited */
  at: number;
  /** the call took effect but its answer was dropped with the connection (failNext lose) */
  answerLost?: boolean;
}

export interface FakeSlackMessage {
  channel: string;
  ts: string;
  text?: string;
  blocks?: any[];
  thread_ts?: string;
  /** message metadata sent with chat.postMessage (event_type, event_payload) */
  metadata?: { event_type: string; event_payload?: Record<string, unknown> };
  /** a thread reply also shown in the channel */
  reply_broadcast?: boolean;
  user?: string;
  /** ephemeral messages are shown to one user and never stored by Slack */
  ephemeral?: boolean;
  /** files shared with the message (files.completeUploadExternal) */
  files?: { id: string; name: string; title: string }[];
  updates: number;
}

/** A file uploaded and shared: what staff see in the channel or thread. */
export interface FakeSlackFile {
  id: string;
  name: string;
  title: string;
  channel: string;
  thread_ts?: string;
  /** the bytes as uploaded (the file part of the upload's multipart body) */
  bytes: Buffer;
}

export interface FakeSlackFaults {
  /** share of calls answered with HTTP 500 (0..1) */
  error500Rate?: number;
  /** share of calls answered with HTTP 429 and Retry-After (0..1) */
  rateLimitRate?: number;
  /** seconds in Retry-After */
  retryAfterSec?: number;
  /** only these methods fail (default: all) */
  methods?: string[];
  /** random source, for repeatable runs */
  random?: () => number;
}

export interface FailNext {
  status?: 500 | 429 | 503;
  retryAfterSec?: number;
  /** a Slack error answered with 200 and ok:false, e.g. "channel_not_found" */
  error?: string;
  /** carry the call out (post the message), then drop the connection without an answer */
  lose?: boolean;
  times?: number;
}

/** Slack's chat.postMessage limit per channel, enforced when set (defaults: one a second, bursts of 3). */
export interface FakeSlackRateLimits {
  perChannelPerSecond?: number;
  perChannelBurst?: number;
}

const BOT = { user_id: 'UFAKEBOT', bot_id: 'BFAKEBOT', team_id: 'TFAKETEAM', team: 'Fake heating', user: 'heating-bot' };

export class FakeSlackApi {
  readonly calls: FakeSlackCall[] = [];
  readonly messages = new Map<string, FakeSlackMessage>();
  /** files shared, in order */
  readonly files: FakeSlackFile[] = [];
  /** upload URLs handed out: the file's name, and its bytes once POSTed */
  private readonly uploads = new Map<string, { name: string; bytes?: Buffer }>();
  faults: FakeSlackFaults = {};
  private readonly queued = new Map<string, FailNext[]>();
  private readonly gates = new Map<string, Promise<void>>();
  private seq = 0;
  private viewSeq = 0;
  private lastSecond = 0;
  /** calls refused with 429 by the rate limits (not by `faults` or `failNext`) */
  rateLimited = 0;
  private limits: LimitBuckets | null = null;
  private readonly failingChannels = new Map<string, number>();

  private constructor(
    private readonly server: Server,
    /** http://127.0.0.1:<port>/api/ : what Bolt's clientOptions.slackApiUrl wants */
    readonly url: string,
    /** http://127.0.0.1:<port> */
    readonly origin: string,
    /** Slack's clock for message ts (ms since the epoch); unset: a fixed day plus one second a message */
    private readonly now?: () => number,
  ) {}

  static async start(
    opts: { faults?: FakeSlackFaults; port?: number; now?: () => number; rateLimits?: boolean | FakeSlackRateLimits } = {},
  ): Promise<FakeSlackApi> {
    let fake: FakeSlackApi | undefined;
    const server = createServer((req, res) => void fake!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakeSlackApi(server, `http://127.0.0.1:${port}/api/`, `http://127.0.0.1:${port}`, opts.now);
    if (opts.faults) fake.faults = opts.faults;
    if (opts.rateLimits) fake.rateLimits(opts.rateLimits === true ? {} : opts.rateLimits);
    return fake;
  }

  /** Turns Slack's per-channel posting limit on (or off with null), afresh. */
  rateLimits(l: FakeSlackRateLimits | null): void {
    this.limits = l && new LimitBuckets(l.perChannelPerSecond ?? 1, l.perChannelBurst ?? 3);
  }

  /** Every call naming this channel is answered with `status` (500: Slack failing for it) until restoreChannel. */
  failChannel(channel: string, status = 500): void {
    this.failingChannels.set(channel, status);
  }

  restoreChannel(channel: string): void {
    this.failingChannels.delete(channel);
  }

  /** A response_url this fake answers (recorded as method "response_url", shown to `user`). */
  responseUrl(user = 'someone'): string {
    return `${this.origin}/response/${encodeURIComponent(user)}/${++this.seq}`;
  }

  /** The parameters of every call to `method`, in order. */
  callsTo(method: string): Record<string, any>[] {
    return this.calls.filter((c) => c.method === method && c.status === 200 && c.response.ok !== false).map((c) => c.params);
  }

  /** A message as it stands now (after updates). */
  message(channel: string, ts: string): FakeSlackMessage | undefined {
    return this.messages.get(`${channel}/${ts}`);
  }

  /** Top-level messages of a channel, oldest first. */
  channelMessages(channel: string): FakeSlackMessage[] {
    return [...this.messages.values()].filter((m) => m.channel === channel && !m.thread_ts && !m.ephemeral);
  }

  /** The replies in a message's thread, oldest first. */
  thread(channel: string, ts: string): FakeSlackMessage[] {
    return [...this.messages.values()].filter((m) => m.channel === channel && m.thread_ts === ts);
  }

  /** Ephemeral messages (chat.postEphemeral and ephemeral response_url replies) shown to a user. */
  ephemeralsFor(user: string): FakeSlackMessage[] {
    return [...this.messages.values()].filter((m) => m.ephemeral && m.user === user);
  }

  /** Files shared in a channel (or one thread of it), oldest first. */
  filesIn(channel: string, threadTs?: string): FakeSlackFile[] {
    return this.files.filter((f) => f.channel === channel && (threadTs === undefined || f.thread_ts === threadTs));
  }

  failNext(method: string, f: FailNext = { status: 500 }): void {
    const list = this.queued.get(method) ?? [];
    for (let i = 0; i < (f.times ?? 1); i++) list.push(f);
    this.queued.set(method, list);
  }

  /**
   * Holds every call to `method` until release() (a Slack that is slow to answer): tests prove
   * that the app answered its own request before its slow work was done.
   */
  hold(method: string): { release: () => void } {
    let release!: () => void;
    this.gates.set(method, new Promise<void>((r) => (release = r)));
    return {
      release: () => {
        this.gates.delete(method);
        release();
      },
    };
  }

  reset(): void {
    this.calls.length = 0;
    this.messages.clear();
    this.queued.clear();
    this.faults = {};
  }

  async close(): Promise<void> {
    this.server.closeAllConnections?.();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if ((req.url ?? '').startsWith('/upload/')) return this.upload(req, res);
    const raw = await readBody(req);
    const path = (req.url ?? '/').split('?')[0];
    const params = parseParams(raw, String(req.headers['content-type'] ?? ''));
    const token = String(req.headers.authorization ?? '').replace(/^Bearer\s+/i, '') || (params.token as string | undefined);
    const method = path.startsWith('/response/') ? 'response_url' : path.replace(/^\/api\//, '');
    const send = (status: number, body: Record<string, any>, headers: Record<string, string> = {}) => {
      this.calls.push({ method, params, token, status, response: body, path, at: Date.now() });
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };

    const gate = this.gates.get(method);
    if (gate) await gate;
    const queued = this.queued.get(method);
    const fail = queued?.shift();
    if (fail) {
      if (fail.lose) {
        // Slack did the work; its answer never reaches the caller
        const answer = this.answer(method, params);
        this.calls.push({ method, params, token, status: 200, response: answer, answerLost: true, path, at: Date.now() });
        req.socket.destroy();
        return;
      }
      if (fail.error) return send(200, { ok: false, error: fail.error });
      if (fail.status === 429) return send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(fail.retryAfterSec ?? 1) });
      return send(fail.status ?? 500, { ok: false, error: 'internal_error' });
    }
    const failing = typeof params.channel === 'string' ? this.failingChannels.get(params.channel) : undefined;
    if (failing) return send(failing, { ok: false, error: 'internal_error' });
    if (this.limits && method === 'chat.postMessage' && typeof params.channel === 'string') {
      const turn = this.limits.of(params.channel).take();
      if (!turn.ok) {
        this.rateLimited++;
        return send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(turn.retryAfterSec) });
      }
    }
    const f = this.faults;
    if (!f.methods || f.methods.includes(method)) {
      const r = (f.random ?? Math.random)();
      if (f.rateLimitRate && r < f.rateLimitRate) return send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(f.retryAfterSec ?? 1) });
      if (f.error500Rate && r >= (f.rateLimitRate ?? 0) && r < (f.rateLimitRate ?? 0) + f.error500Rate)
        return send(500, { ok: false, error: 'internal_error' });
    }
    const answer = this.answer(method, method === 'response_url' ? { ...params, user: decodeURIComponent(path.split('/')[2] ?? '') } : params);
    send(200, answer);
  }

  /** POST /upload/<id>: the bytes of a file announced with files.getUploadURLExternal (recorded as the call "upload"). */
  private async upload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const id = decodeURIComponent((req.url ?? '').split('?')[0].slice('/upload/'.length));
    const raw = await readRaw(req);
    const pending = this.uploads.get(id);
    const bytes = filePart(raw, String(req.headers['content-type'] ?? ''));
    const status = pending ? 200 : 404;
    this.calls.push({ method: 'upload', params: { id, length: bytes.length }, status, response: {}, path: req.url ?? '', at: Date.now() });
    if (pending) pending.bytes = bytes;
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end(pending ? `OK - ${bytes.length}` : 'Not Found');
  }

  private nextTs(): string {
    this.seq++;
    if (!this.now) return `${1_764_309_600 + this.seq}.${String(this.seq).padStart(6, '0')}`;
    // Slack's ts: the second it was posted, unique and rising within the channel
    this.lastSecond = Math.max(this.lastSecond, Math.floor(this.now() / 1000));
    return `${this.lastSecond}.${String(this.seq).padStart(6, '0')}`;
  }

  /**
   * conversations.history (a channel's top-level messages and broadcast replies, newest first)
   * and conversations.replies (a thread, oldest first), from `oldest`, `limit` at a time with a
   * cursor; metadata only with include_all_metadata.
   */
  private read(method: string, p: Record<string, any>): Record<string, any> {
    const inChannel = [...this.messages.values()].filter((m) => m.channel === p.channel && !m.ephemeral);
    if (!inChannel.length && !p.channel) return { ok: false, error: 'channel_not_found' };
    const after = (m: FakeSlackMessage) => p.oldest === undefined || Number(m.ts) > Number(p.oldest);
    const list =
      method === 'conversations.replies'
        ? inChannel.filter((m) => (m.ts === p.ts || m.thread_ts === p.ts) && after(m)).sort((a, b) => Number(a.ts) - Number(b.ts))
        : inChannel.filter((m) => (!m.thread_ts || m.reply_broadcast) && after(m)).sort((a, b) => Number(b.ts) - Number(a.ts));
    const from = Number(p.cursor ?? 0);
    const limit = Number(p.limit ?? 100);
    const page = list.slice(from, from + limit);
    const more = from + limit < list.length;
    return {
      ok: true,
      messages: page.map((m) => ({
        type: 'message',
        ts: m.ts,
        text: m.text,
        ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
        ...(m.files ? { files: m.files } : {}),
        ...(m.metadata && p.include_all_metadata && String(p.include_all_metadata) !== 'false' ? { metadata: m.metadata } : {}),
      })),
      has_more: more,
      response_metadata: { next_cursor: more ? String(from + limit) : '' },
    };
  }

  private answer(method: string, p: Record<string, any>): Record<string, any> {
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://fake.slack.test/', ...BOT };
      case 'chat.postMessage': {
        if (!p.channel) return { ok: false, error: 'channel_not_found' };
        const ts = this.nextTs();
        const msg: FakeSlackMessage = {
          channel: p.channel,
          ts,
          text: p.text,
          blocks: p.blocks,
          thread_ts: p.thread_ts,
          ...(p.metadata ? { metadata: p.metadata } : {}),
          ...(p.reply_broadcast && String(p.reply_broadcast) !== 'false' ? { reply_broadcast: true } : {}),
          updates: 0,
        };
        this.messages.set(`${p.channel}/${ts}`, msg);
        return {
          ok: true,
          channel: p.channel,
          ts,
          message: { type: 'message', text: p.text, blocks: p.blocks, ts, thread_ts: p.thread_ts, bot_id: BOT.bot_id },
        };
      }
      case 'chat.update': {
        const msg = this.messages.get(`${p.channel}/${p.ts}`);
        if (!msg) return { ok: false, error: 'message_not_found' };
        if (p.text !== undefined) msg.text = p.text;
        if (p.blocks !== undefined) msg.blocks = p.blocks;
        msg.updates++;
        return { ok: true, channel: p.channel, ts: p.ts, text: msg.text, message: { text: msg.text, blocks: msg.blocks } };
      }
      case 'chat.postEphemeral': {
        if (!p.channel || !p.user) return { ok: false, error: 'channel_not_found' };
        const ts = this.nextTs();
        this.messages.set(`${p.channel}/${ts}`, { channel: p.channel, ts, text: p.text, blocks: p.blocks, user: p.user, ephemeral: true, updates: 0 });
        return { ok: true, message_ts: ts };
      }
      case 'response_url': {
        const ts = this.nextTs();
        // Slack shows a response_url reply to the user who acted: the fake's URL names them
        this.messages.set(`response/${ts}`, {
          channel: 'response',
          ts,
          text: p.text,
          blocks: p.blocks,
          user: p.user,
          ephemeral: p.response_type !== 'in_channel',
          updates: 0,
        });
        return { ok: true };
      }
      case 'views.open':
      case 'views.push':
      case 'views.update': {
        const view = typeof p.view === 'object' && p.view ? p.view : {};
        return { ok: true, view: { id: p.view_id ?? `VFAKE${++this.viewSeq}`, hash: `h${this.viewSeq}`, ...view } };
      }
      case 'conversations.history':
      case 'conversations.replies':
        return this.read(method, p);
      case 'files.getUploadURLExternal': {
        if (!p.filename || !p.length) return { ok: false, error: 'invalid_arguments' };
        const id = `F${String(++this.seq).padStart(8, '0')}`;
        this.uploads.set(id, { name: String(p.filename) });
        return { ok: true, upload_url: `${this.origin}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        const list = (Array.isArray(p.files) ? p.files : []) as { id: string; title?: string }[];
        if (!list.length || list.some((f) => !this.uploads.get(f.id)?.bytes)) return { ok: false, error: 'file_not_found' };
        const channel = p.channel_id ? String(p.channel_id) : undefined;
        const shared = list.map((f) => {
          const up = this.uploads.get(f.id)!;
          return { id: f.id, name: up.name, title: f.title ?? up.name, bytes: up.bytes! };
        });
        if (channel) {
          const ts = this.nextTs();
          this.messages.set(`${channel}/${ts}`, {
            channel,
            ts,
            text: p.initial_comment ?? '',
            thread_ts: p.thread_ts,
            files: shared.map(({ id, name, title }) => ({ id, name, title })),
            updates: 0,
          });
          for (const f of shared) this.files.push({ ...f, channel, ...(p.thread_ts ? { thread_ts: String(p.thread_ts) } : {}) });
        }
        return { ok: true, files: shared.map(({ id, title }) => ({ id, title })) };
      }
      case 'users.info':
        return { ok: true, user: { id: p.user, name: p.user, tz: 'Asia/Shanghai' } };
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(p.users ?? 'X').replace(/,/g, '')}` } };
      default:
        return { ok: true };
    }
  }
}

function readRaw(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The file in a multipart upload (its first part with a filename), or the whole body when it is not multipart. */
function filePart(raw: Buffer, contentType: string): Buffer {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) return raw;
  const sep = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  let at = raw.indexOf(sep);
  while (at >= 0) {
    const next = raw.indexOf(sep, at + sep.length);
    if (next < 0) break;
    const part = raw.subarray(at + sep.length, next);
    const headEnd = part.indexOf('\r\n\r\n');
    if (headEnd >= 0 && /filename=/.test(part.subarray(0, headEnd).toString('utf8'))) return part.subarray(headEnd + 4, part.length - 2);
    at = next;
  }
  return raw;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The Web API client sends form fields with objects JSON-encoded (blocks, view); response_url gets JSON. */
function parseParams(raw: string, contentType: string): Record<string, any> {
  if (!raw) return {};
  if (contentType.includes('application/json')) {
    try {
      return JSON.parse(raw) as Record<string, any>;
    } catch {
      return { raw };
    }
  }
  const out: Record<string, any> = {};
  for (const [k, v] of Object.entries(parseQuery(raw))) {
    const s = Array.isArray(v) ? v[0] : v;
    if (typeof s === 'string' && /^[[{]/.test(s)) {
      try {
        out[k] = JSON.parse(s);
        continue;
      } catch {
        // not JSON after all: keep the string
      }
    }
    out[k] = s;
  }
  return out;
}
