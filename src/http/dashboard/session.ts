/**
 * The dashboard's sessions, kept on the server (the StaffSession table): the browser holds a
 * random token in an HttpOnly, SameSite=Strict cookie, the table only its SHA-256. Signing out
 * revokes the row, so a copied cookie stops working at once, on every instance. A session
 * ends after 12 hours. What it lets the person see is worked out from today's organisation file
 * on every request (core/staff/dashboard-scope.ts).
 *
 * The operator's sign-in with the API token stays, for installs without Slack sign-in: the
 * token is compared in constant time and opens an "operator" session like anyone else's.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../../core/context.js';
import { currentScope, type DashboardScope } from '../../core/staff/dashboard-scope.js';

export const SESSION_COOKIE = 'heating_dashboard';
export const SESSION_HOURS = 12;
const PATH = '/dashboard';
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** A signed-in request: its session's id and what the person may see. */
export interface SignedIn {
  sessionId: string;
  scope: DashboardScope;
}

/**
 * `Secure` when the service is published over https (PUBLIC_URL), or the request came over
 * https (with TRUST_PROXY, as the proxy in front says): a TLS proxy talks plain http to us.
 */
export function secureCookies(req: FastifyRequest, publicUrl: string | undefined): boolean {
  return publicUrl?.startsWith('https:') === true || req.protocol === 'https';
}

export function cookieHeader(name: string, value: string, o: { maxAge: number; path: string; sameSite: 'Strict' | 'Lax'; secure: boolean }): string {
  return `${name}=${value}; Path=${o.path}; Max-Age=${o.maxAge}; HttpOnly; SameSite=${o.sameSite}${o.secure ? '; Secure' : ''}`;
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

/** Adds a Set-Cookie header to those the reply already carries. */
export function addCookie(reply: FastifyReply, cookie: string): void {
  const had = reply.getHeader('set-cookie');
  reply.header('set-cookie', had === undefined ? cookie : [...(Array.isArray(had) ? had : [String(had)]), cookie]);
}

export class DashboardSessions {
  private readonly tokenDigest: Buffer;

  constructor(
    private readonly core: Pick<Core, 'stores' | 'org' | 'clock'>,
    apiToken: string,
    private readonly publicUrl?: string,
  ) {
    if (!apiToken) throw new Error('the dashboard needs the API token');
    this.tokenDigest = digest(apiToken);
  }

  /** Compares digests, so neither the token's length nor its content leaks through timing. */
  tokenMatches(given: unknown): boolean {
    return typeof given === 'string' && given.length > 0 && timingSafeEqual(digest(given), this.tokenDigest);
  }

  /** Stores a new session for `scope` and sets its cookie on the reply; one the browser held before ends. */
  async start(req: FastifyRequest, reply: FastifyReply, scope: DashboardScope): Promise<void> {
    const token = randomBytes(32).toString('base64url');
    const now = this.core.clock.now();
    const before = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (before && TOKEN.test(before)) await this.core.stores.sessions.revoke(digest(before).toString('hex'), now);
    await this.core.stores.sessions.create({
      id: digest(token).toString('hex'),
      staffId: scope.staffId,
      role: scope.role,
      branchId: scope.branchId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + SESSION_HOURS * 3600_000),
      revokedAt: null,
    });
    addCookie(reply, this.cookie(req, token, SESSION_HOURS * 3600));
  }

  /** The request's live session and what it may see now; null when there is none (or the person is no longer staff). */
  async current(req: FastifyRequest): Promise<SignedIn | null> {
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (!token || !TOKEN.test(token)) return null;
    const sessionId = digest(token).toString('hex');
    const row = await this.core.stores.sessions.active(sessionId, this.core.clock.now());
    const scope = row && currentScope(this.core.org, row);
    return scope ? { sessionId, scope } : null;
  }

  /** Revokes the request's session (whatever state it is in) and clears the cookie. */
  async end(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (token && TOKEN.test(token)) await this.core.stores.sessions.revoke(digest(token).toString('hex'), this.core.clock.now());
    addCookie(reply, this.cookie(req, '', 0));
  }

  private cookie(req: FastifyRequest, value: string, maxAge: number): string {
    return cookieHeader(SESSION_COOKIE, value, { maxAge, path: PATH, sameSite: 'Strict', secure: secureCookies(req, this.publicUrl) });
  }
}
