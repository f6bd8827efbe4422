/**
 * A Bolt Receiver mounted on the service's own Fastify server (after Bolt's example
 * FastifyReceiver): POST /slack/events takes events, interactivity and slash commands.
 *
 * Every request is verified with Bolt's verifySlackRequest against the injected clock: a bad
 * signature or a timestamp more than five minutes away answers 401 and nothing else happens.
 * The raw body is kept (a content-type parser in this plugin's own scope) because the signature
 * covers the exact bytes. Slack wants an answer within 3 seconds: the reply goes out as soon as a
 * listener acks (or at the latest after `ackTimeoutMs`), and the listener's slow work goes on after.
 * `idle()` resolves when every request taken so far has been processed, so tests await the work
 * instead of sleeping.
 */
import { parse as parseQuery } from 'node:querystring';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { verifySlackRequest, type App, type Receiver, type ReceiverEvent } from '@slack/bolt';
import type { Clock } from '../../core/clock.js';
import type { SlackLog } from './logger.js';

export interface FastifyReceiverOptions {
  signingSecret: string;
  clock: Clock;
  log?: SlackLog;
  path?: string;
  /** answer Slack this long after a request at the latest, acked or not (Slack gives up at 3 s) */
  ackTimeoutMs?: number;
}

const FIVE_MINUTES_S = 5 * 60;
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

export class FastifyReceiver implements Receiver {
  private app?: App;
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly o: FastifyReceiverOptions) {}

  init(app: App): void {
    this.app = app;
  }

  /** The HTTP server belongs to the service: nothing to start. */
  async start(): Promise<void> {}

  /** Lets the work in progress finish. */
  async stop(): Promise<void> {
    await this.idle();
  }

  /** Resolves when every request received so far has been processed (listeners included). */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  /** The Fastify plugin with POST /slack/events; register it without fastify-plugin (its parsers stay inside). */
  readonly plugin: FastifyPluginAsync = async (f) => {
    for (const type of [FORM, JSON_TYPE]) {
      if (f.hasContentTypeParser(type)) f.removeContentTypeParser(type);
      f.addContentTypeParser(type, { parseAs: 'string' }, (_req, body, done) => done(null, body));
    }
    f.post(this.o.path ?? '/slack/events', (req, reply) => this.handle(req, reply));
  };

  private async handle(req: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const raw = typeof req.body === 'string' ? req.body : '';
    const contentType = String(req.headers['content-type'] ?? '')
      .split(';')[0]
      .trim()
      .toLowerCase();
    if (contentType === FORM && parseQuery(raw).ssl_check === '1') return reply.status(200).send('');
    if (!this.verified(req, raw)) return reply.status(401).send({ code: 'unauthorized', message: 'invalid Slack signature or timestamp' });

    let body: Record<string, any>;
    try {
      body = parseBody(raw, contentType);
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
    } catch {
      return reply.status(400).send({ code: 'bad_request', message: 'unreadable Slack payload' });
    }
    if (body.type === 'url_verification') return reply.status(200).send({ challenge: body.challenge });
    if (!this.app) return reply.status(503).send({ code: 'not_ready', message: 'Slack app not initialised' });

    const response = await this.dispatch(body, req);
    if (response === undefined || response === '') return reply.status(200).send('');
    return typeof response === 'string' ? reply.status(200).type('text/plain').send(response) : reply.status(200).send(response);
  }

  private verified(req: FastifyRequest, raw: string): boolean {
    const signature = req.headers['x-slack-signature'];
    const ts = Number(req.headers['x-slack-request-timestamp']);
    if (typeof signature !== 'string' || !Number.isFinite(ts)) return false;
    const nowMs = this.o.clock.now().getTime();
    // Bolt refuses old timestamps; a request from more than five minutes ahead is no better
    if (ts > Math.floor(nowMs / 1000) + FIVE_MINUTES_S) return false;
    try {
      verifySlackRequest({
        signingSecret: this.o.signingSecret,
        body: raw,
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': ts },
        nowMilliseconds: nowMs,
      });
      return true;
    } catch (e) {
      this.o.log?.warn({ err: (e as Error).message }, 'slack request refused');
      return false;
    }
  }

  /** Hands the body to Bolt and resolves with the ack's response, the work running on after it. */
  private dispatch(body: Record<string, any>, req: FastifyRequest): Promise<unknown> {
    return new Promise((resolve) => {
      let acked = false;
      const timer = setTimeout(() => {
        if (acked) return;
        acked = true;
        this.o.log?.warn({ type: body.type }, 'slack request not acknowledged in time: answered empty');
        resolve(undefined);
      }, this.o.ackTimeoutMs ?? 2500);
      const event: ReceiverEvent = {
        body,
        retryNum: header(req, 'x-slack-retry-num') === undefined ? undefined : Number(header(req, 'x-slack-retry-num')),
        retryReason: header(req, 'x-slack-retry-reason'),
        ack: async (response?: unknown) => {
          if (acked) return;
          acked = true;
          clearTimeout(timer);
          resolve(response);
        },
      };
      const work = this.app!.processEvent(event)
        .catch((e: unknown) => this.o.log?.error({ err: (e as Error)?.message ?? String(e) }, 'slack listener failed'))
        .finally(() => {
          this.pending.delete(work);
          if (!acked) {
            // no listener took it (or one forgot to ack): Slack still gets its 200
            acked = true;
            clearTimeout(timer);
            resolve(undefined);
          }
        });
      this.pending.add(work);
    });
  }
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Interactivity comes as payload=<json>, slash commands as form fields, events as JSON. */
export function parseBody(raw: string, contentType: string): Record<string, any> {
  if (contentType === FORM) {
    const q = parseQuery(raw);
    if (typeof q.payload === 'string') return JSON.parse(q.payload) as Record<string, any>;
    return Object.fromEntries(Object.entries(q).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  }
  return JSON.parse(raw) as Record<string, any>;
}
