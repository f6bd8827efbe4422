/**
 * The dashboard's sign-in: the operator types the API token once; the server checks it in
 * constant time and answers with a signed, HttpOnly, SameSite=Strict cookie. The signing key is
 * derived from the API token, so rotating the token signs everyone out and there is no second
 * secret to keep.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../core/clock.js';

export const SESSION_COOKIE = 'heating_dashboard';
export const SESSION_HOURS = 12;
const PATH = '/dashboard';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

export class DashboardSession {
  private readonly key: Buffer;
  private readonly tokenDigest: Buffer;

  constructor(
    apiToken: string,
    private readonly clock: Clock,
  ) {
    if (!apiToken) throw new Error('the dashboard needs the API token');
    this.key = createHmac('sha256', apiToken).update('heating-dashboard-session-v1').digest();
    this.tokenDigest = digest(apiToken);
  }

  /** Compares digests, so neither the token's length nor its content leaks through timing. */
  tokenMatches(given: unknown): boolean {
    return typeof given === 'string' && given.length > 0 && timingSafeEqual(digest(given), this.tokenDigest);
  }

  private mac(expires: string): Buffer {
    return createHmac('sha256', this.key).update(expires).digest();
  }

  issue(reply: FastifyReply, req: FastifyRequest): void {
    const expires = String(this.clock.now().getTime() + SESSION_HOURS * 3600_000);
    const value = `${expires}.${this.mac(expires).toString('base64url')}`;
    reply.header('set-cookie', cookie(value, SESSION_HOURS * 3600, req));
  }

  clear(reply: FastifyReply, req: FastifyRequest): void {
    reply.header('set-cookie', cookie('', 0, req));
  }

  isSignedIn(req: FastifyRequest): boolean {
    const value = readCookie(req.headers.cookie, SESSION_COOKIE);
    const m = value && /^(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(value);
    if (!m) return false;
    const given = Buffer.from(m[2], 'base64url');
    const expected = this.mac(m[1]);
    return given.length === expected.length && timingSafeEqual(given, expected) && Number(m[1]) > this.clock.now().getTime();
  }
}

function cookie(value: string, maxAge: number, req: FastifyRequest): string {
  const secure = req.protocol === 'https' ? '; Secure' : '';
  return `${SESSION_COOKIE}=${value}; Path=${PATH}; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${secure}`;
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

/** Failed sign-ins per client address: after `max` within `windowMs`, further tries are refused until it passes. */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly max = 10,
    private readonly windowMs = 15 * 60_000,
  ) {}

  private recent(ip: string): number[] {
    const since = this.clock.now().getTime() - this.windowMs;
    const kept = (this.failures.get(ip) ?? []).filter((at) => at > since);
    if (kept.length) this.failures.set(ip, kept);
    else this.failures.delete(ip);
    return kept;
  }

  blocked(ip: string): boolean {
    return this.recent(ip).length >= this.max;
  }

  failed(ip: string): void {
    if (this.failures.size > 10_000) this.failures.clear(); // a flood of addresses must not grow memory without bound
    this.failures.set(ip, [...this.recent(ip), this.clock.now().getTime()]);
  }
}
