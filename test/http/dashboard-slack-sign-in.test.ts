/**
 * Sign in with Slack against a fake OpenID provider on loopback (fake-slack-oidc.ts): the test
 * follows the real redirects, from the dashboard to the provider's authorize endpoint and back
 * to the callback with the flow cookie, as a browser would; openid-client does discovery, the
 * token request and the id_token's checks for real. Then what each person sees.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackSignInSettings } from '../../src/config.js';
import { Org } from '../../src/core/org/org.js';
import { makeTestApp } from '../helpers/app.js';
import { makeTestCore, type TestCore } from '../helpers/core.js';
import { buildNovember, REPORT_TIME, type NovemberFixture } from '../core/kpi/november-fixture.js';
import { type Approval, CLIENT_ID, CLIENT_SECRET, type FakeSlackOidc, startFakeSlackOidc } from './fake-slack-oidc.js';

const PUBLIC_URL = 'http://dashboard.test';
let fake: FakeSlackOidc;
let core: TestCore;
let fx: NovemberFixture;
let app: FastifyInstance;
const settings = (over: Partial<SlackSignInSettings> = {}): SlackSignInSettings => ({
  clientId: CLIENT_ID,
  clientSecret: CLIENT_SECRET,
  issuer: fake.issuer,
  redirectUri: `${PUBLIC_URL}/dashboard/auth/slack/callback`,
  ...over,
});

beforeAll(async () => {
  fake = await startFakeSlackOidc();
  core = await makeTestCore();
  fx = await buildNovember(core);
  ({ app } = await makeTestApp({ dashboard: { publicUrl: PUBLIC_URL, slackSignIn: settings(), sleep: async () => {} } }, core));
});
afterAll(async () => {
  await app?.close();
  await core?.close();
  await fake?.close();
});

/** The cookies a response sets, by name (value and attributes as sent). */
function setCookies(res: LightMyRequestResponse): Map<string, string> {
  const raw = res.headers['set-cookie'];
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [String(raw)];
  return new Map(list.map((c) => [c.slice(0, c.indexOf('=')), c]));
}
const cookieValue = (cookie: string | undefined) => cookie?.slice(cookie.indexOf('=') + 1, cookie.indexOf(';'));

/** A browser's way through Sign in with Slack: the dashboard, the provider, back to the callback. */
async function signInWithSlack(
  approval: Approval,
  o: { on?: FastifyInstance; lang?: string; headers?: Record<string, string>; flow?: (v: string) => string } = {},
) {
  const on = o.on ?? app;
  fake.approve(approval);
  const start = await on.inject({ method: 'GET', url: `/dashboard/auth/slack${o.lang ? `?lang=${o.lang}` : ''}`, headers: o.headers });
  expect(start.statusCode).toBe(302);
  const flowCookie = setCookies(start).get('heating_signin');
  const atProvider = await fetch(String(start.headers.location), { redirect: 'manual' });
  expect(atProvider.status).toBe(302);
  const back = new URL(atProvider.headers.get('location')!);
  expect(back.origin + back.pathname).toBe(`${PUBLIC_URL}/dashboard/auth/slack/callback`);
  const flow = cookieValue(flowCookie)!;
  const callback = await on.inject({
    method: 'GET',
    url: back.pathname + back.search,
    headers: { ...o.headers, cookie: `heating_signin=${o.flow ? o.flow(flow) : flow}` },
  });
  const session = setCookies(callback).get('heating_dashboard');
  return { start, flowCookie, back, callback, session, cookie: session ? `heating_dashboard=${cookieValue(session)}` : '' };
}

const page = (url: string, cookie: string, on = app) => on.inject({ method: 'GET', url, headers: { cookie } });

describe('Sign in with Slack', () => {
  it('offers Slack on the sign-in page beside the operator’s token form', async () => {
    const form = await app.inject({ method: 'GET', url: '/dashboard/login' });
    expect(form.body).toContain('<a class="button" id="slack-sign-in" href="/dashboard/auth/slack">使用 Slack 登录</a>');
    expect(form.body).toContain('<input type="password" name="token"');
  });

  it('takes a branch head through Slack with PKCE, state and nonce, and opens the dashboard as them', async () => {
    const s = await signInWithSlack({ userId: 'U07DEMO007' });
    const asked = fake.authorizeRequests.at(-1)!;
    expect(asked.get('response_type')).toBe('code');
    expect(asked.get('scope')).toBe('openid');
    expect(asked.get('redirect_uri')).toBe(`${PUBLIC_URL}/dashboard/auth/slack/callback`);
    expect(asked.get('code_challenge_method')).toBe('S256');
    expect(asked.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(asked.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fake.tokenRequests.at(-1)!.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // the attempt's cookie: HttpOnly, Lax (the way back from Slack is cross-site), only for the sign-in paths, and cleared on return
    expect(s.flowCookie).toMatch(/^heating_signin=[^;]+; Path=\/dashboard\/auth; Max-Age=600; HttpOnly; SameSite=Lax$/);
    expect(setCookies(s.callback).get('heating_signin')).toBe('heating_signin=; Path=/dashboard/auth; Max-Age=0; HttpOnly; SameSite=Lax');
    // a page that moves on, not a redirect: a Strict cookie is not sent on a redirect chain that began at Slack
    expect(s.callback.statusCode).toBe(200);
    expect(s.callback.body).toContain('<meta http-equiv="refresh" content="0; url=/dashboard">');
    expect(s.callback.body).toContain('已登录，正在打开考核看板');
    expect(s.session).toMatch(/^heating_dashboard=[A-Za-z0-9_-]{43}; Path=\/dashboard; Max-Age=43200; HttpOnly; SameSite=Strict$/);
    const dashboard = await page('/dashboard?period=2026-11', s.cookie);
    expect(dashboard.statusCode).toBe(200);
    expect(dashboard.body).toContain('<span class="who" id="signed-in-as">黄海燕 · 新城供热分公司</span>');
    const row = await core.db.staffSession.findFirstOrThrow({ where: { staffId: 'xincheng-head' } });
    expect(row).toMatchObject({ role: 'leader', branchId: 'xincheng', revokedAt: null });
  });

  it('comes back in the language the person started in', async () => {
    const s = await signInWithSlack({ userId: 'U05DEMO005' }, { lang: 'en' });
    expect(s.callback.body).toContain('<meta http-equiv="refresh" content="0; url=/dashboard?lang=en">');
    expect(s.callback.body).toContain('Signed in: opening the dashboard');
  });

  it('refuses a Slack user who is not on the staff list, with a page that says so and no session', async () => {
    const s = await signInWithSlack({ userId: 'U99STRANGER' });
    expect(s.callback.statusCode).toBe(403);
    expect(s.callback.body).toContain('你的 Slack 账号不在公司人员名单中，不能打开考核看板');
    expect(s.session).toBeUndefined();
    const en = await signInWithSlack({ userId: 'U99STRANGER' }, { lang: 'en' });
    expect(en.callback.body).toContain('Your Slack account is not on the company’s staff list');
  });

  it('refuses an id_token signed with a key the provider does not publish, or carrying another nonce', async () => {
    for (const spoilt of [{ forge: true }, { wrongNonce: true }]) {
      const s = await signInWithSlack({ userId: 'U05DEMO005', ...spoilt });
      expect(s.callback.statusCode).toBe(400);
      expect(s.callback.body).toContain('Slack 登录没有完成');
      expect(s.session).toBeUndefined();
    }
  });

  it('refuses a way back that did not begin in this browser: no flow cookie, a forged one, or another attempt’s', async () => {
    const none = await signInWithSlack({ userId: 'U05DEMO005' }, { flow: () => '' });
    expect(none.callback.statusCode).toBe(400);
    const forged = await signInWithSlack({ userId: 'U05DEMO005' }, { flow: (v) => `${v.slice(0, -2)}AA` });
    expect(forged.callback.statusCode).toBe(400);
    // a victim's browser holding its own attempt, sent an attacker's code: the state does not match
    const mine = await app.inject({ method: 'GET', url: '/dashboard/auth/slack' });
    const theirs = await signInWithSlack({ userId: 'U05DEMO005' }, { flow: () => cookieValue(setCookies(mine).get('heating_signin'))! });
    expect(theirs.callback.statusCode).toBe(400);
    expect(theirs.session).toBeUndefined();
  });

  it('refuses a person who declined at Slack, and an attempt older than ten minutes', async () => {
    const declined = await signInWithSlack({ userId: 'U05DEMO005', deny: true });
    expect(declined.callback.statusCode).toBe(400);
    fake.approve({ userId: 'U05DEMO005' });
    const start = await app.inject({ method: 'GET', url: '/dashboard/auth/slack' });
    const back = new URL((await fetch(String(start.headers.location), { redirect: 'manual' })).headers.get('location')!);
    core.clock.advance(11 * 60_000);
    try {
      const late = await app.inject({
        method: 'GET',
        url: back.pathname + back.search,
        headers: { cookie: `heating_signin=${cookieValue(setCookies(start).get('heating_signin'))}` },
      });
      expect(late.statusCode).toBe(400);
    } finally {
      core.clock.set(REPORT_TIME);
    }
  });

  it('lets in only the company’s workspace when SLACK_TEAM_ID is set, and asks Slack for it', async () => {
    const { app: teamApp } = await makeTestApp({ dashboard: { publicUrl: PUBLIC_URL, slackSignIn: settings({ teamId: 'T0COMPANY1' }) } }, core);
    try {
      const other = await signInWithSlack({ userId: 'U05DEMO005', teamId: 'T0ELSEWHERE' }, { on: teamApp });
      expect(fake.authorizeRequests.at(-1)!.get('team')).toBe('T0COMPANY1');
      expect(other.callback.statusCode).toBe(403);
      expect(other.callback.body).toContain('这个 Slack 工作区不是本公司的');
      const ours = await signInWithSlack({ userId: 'U05DEMO005', teamId: 'T0COMPANY1' }, { on: teamApp });
      expect(ours.callback.statusCode).toBe(200);
    } finally {
      await teamApp.close();
    }
  });

  it('says so when Slack cannot be reached', async () => {
    const { app: down } = await makeTestApp({ dashboard: { publicUrl: PUBLIC_URL, slackSignIn: settings({ issuer: 'http://127.0.0.1:9' }) } }, core);
    try {
      const res = await down.inject({ method: 'GET', url: '/dashboard/auth/slack' });
      expect(res.statusCode).toBe(503);
      expect(res.body).toContain('暂时连不上 Slack');
    } finally {
      await down.close();
    }
  });

  it('signs out for good: the same cookie, kept or copied, no longer opens anything', async () => {
    const s = await signInWithSlack({ userId: 'U01DEMO001' });
    expect((await page('/dashboard/tickets', s.cookie)).statusCode).toBe(200);
    const out = await app.inject({ method: 'POST', url: '/dashboard/logout', headers: { cookie: s.cookie } });
    expect(out.statusCode).toBe(303);
    expect((await page('/dashboard/tickets', s.cookie)).statusCode).toBe(303);
    expect((await page('/dashboard/kpi.csv?period=2026-11', s.cookie)).statusCode).toBe(303);
  });

  it('ends a session after 12 hours, and one whose person has left the organisation file', async () => {
    const s = await signInWithSlack({ userId: 'U02DEMO002' });
    core.clock.advance(12 * 3600_000 - 60_000);
    try {
      expect((await page('/dashboard/tickets', s.cookie)).statusCode).toBe(200);
      core.clock.advance(61_000);
      expect((await page('/dashboard/tickets', s.cookie)).statusCode).toBe(303);
    } finally {
      core.clock.set(REPORT_TIME);
    }
    // the same database, and a restart with agent03 taken out of the file
    const other = await makeTestCore({ databaseUrl: core.databaseUrl, org: orgWithout('agent03') });
    const a = await signInWithSlack({ userId: 'U03DEMO003' });
    const { app: later } = await makeTestApp({}, other);
    try {
      expect((await page('/dashboard/tickets', a.cookie)).statusCode).toBe(200);
      expect((await page('/dashboard/tickets', a.cookie, later)).statusCode).toBe(303);
    } finally {
      await later.close();
      await other.db.$disconnect();
    }
  });
});

describe('what each person sees', () => {
  const signedIn = async (userId: string) => (await signInWithSlack({ userId })).cookie;
  const rows = (html: string) => [...html.matchAll(/<tr class="[^"]*" data-branch="([^"]+)">/g)].map((m) => m[1]);
  const options = (html: string) =>
    [...html.matchAll(/<option value="([^"]*)"[^>]*>/g)].map((m) => m[1]).filter((v) => !/^(month|week|day|season|custom)$/.test(v));
  const listed = (html: string) => [...html.matchAll(/<tr class="[^"]*" data-number="([^"]+)">/g)].map((m) => m[1]);

  it('shows a branch head their branch’s KPIs beside the company’s total, whatever branch the address asks for', async () => {
    const head = await signedIn('U07DEMO007');
    for (const url of ['/dashboard?period=2026-11', '/dashboard?period=2026-11&branch=huimin']) {
      const body = (await page(url, head)).body;
      expect(rows(body)).toEqual(['xincheng', 'company']);
      expect(options(body)).toEqual(['xincheng']); // no other branch, and no "all branches"
      expect(body).not.toContain('全部分公司');
    }
    const csv = (await page('/dashboard/kpi.csv?period=2026-11&branch=huimin', head)).rawPayload.toString('utf8');
    expect(csv).toContain('新城供热分公司,55.5%,5,9');
    expect(csv).not.toContain('回民供热分公司');
    const trend = JSON.parse(
      /<script type="application\/json" id="trend-data">(.*?)<\/script>/s.exec((await page('/dashboard?period=2026-11', head)).body)![1],
    );
    expect(trend.charts[0].series.map((x: { label: string }) => x.label)).toEqual(['新城供热分公司', '全公司']);
  });

  it('lists only the branch’s open tickets to its staff, and answers another branch’s ticket as not found', async () => {
    const coord = await signedIn('U13DEMO013'); // 回民's coordinator
    const list = (await page('/dashboard/tickets', coord)).body;
    expect(listed(list)).toEqual([fx.numbers.J]);
    expect(options(list)).toEqual(['huimin']);
    expect(listed((await page('/dashboard/tickets?branch=xincheng', coord)).body)).toEqual([fx.numbers.J]);
    expect((await page(`/dashboard/tickets/${fx.numbers.J}`, coord)).statusCode).toBe(200);
    for (const other of [fx.numbers.B, fx.numbers.T]) {
      const res = await page(`/dashboard/tickets/${other}`, coord);
      expect(res.statusCode).toBe(404);
      expect(res.body).toContain('<title>没有这个工单。');
      expect(res.body).not.toContain('id="timeline"');
    }
    const field = await signedIn('U09DEMO009'); // 新城's field staff
    const theirs = listed((await page('/dashboard/tickets', field)).body);
    expect(theirs).toContain(fx.numbers.B);
    expect(theirs).not.toContain(fx.numbers.J);
    expect(theirs).not.toContain(fx.numbers.T);
    expect((await page(`/dashboard/tickets/${fx.numbers.J}`, field)).statusCode).toBe(404);
  });

  it('shows a branch only its own suggestions, on the page and in the CSV', async () => {
    const xincheng = await signedIn('U08DEMO008');
    expect((await page('/dashboard/suggestions?period=2026-11', xincheng)).body).toContain('<td>新城供热分公司</td><td>收费窗口</td>');
    const huimin = await signedIn('U13DEMO013');
    const body = (await page('/dashboard/suggestions?period=2026-11&branch=xincheng', huimin)).body;
    expect(body).not.toContain('收费窗口');
    expect((await page('/dashboard/suggestions.csv?period=2026-11', huimin)).rawPayload.toString('utf8')).not.toContain('希望延长收费窗口时间');
  });

  it('shows the centre’s agents and the company’s leader every branch and the triage queue', async () => {
    for (const user of ['U01DEMO001', 'U05DEMO005']) {
      const who = await signedIn(user);
      const body = (await page('/dashboard?period=2026-11', who)).body;
      expect(rows(body)).toEqual(['xincheng', 'huimin', 'yuquan', 'saihan', 'jinqiao', 'centre', 'company']);
      expect(options(body)).toEqual(['', 'xincheng', 'huimin', 'yuquan', 'saihan', 'jinqiao']);
      const list = listed((await page('/dashboard/tickets', who)).body);
      for (const n of [fx.numbers.B, fx.numbers.J, fx.numbers.T, fx.numbers.Y]) expect(list).toContain(n);
      expect((await page(`/dashboard/tickets/${fx.numbers.T}`, who)).statusCode).toBe(200);
    }
  });
});

describe('cookies behind TLS', () => {
  it('marks every cookie Secure when PUBLIC_URL is https', async () => {
    const { app: https } = await makeTestApp(
      { dashboard: { publicUrl: 'https://heat.example.com', slackSignIn: settings({ redirectUri: `${PUBLIC_URL}/dashboard/auth/slack/callback` }) } },
      core,
    );
    try {
      const s = await signInWithSlack({ userId: 'U05DEMO005' }, { on: https });
      expect(s.flowCookie).toMatch(/; Secure$/);
      expect(s.session).toMatch(/; SameSite=Strict; Secure$/);
    } finally {
      await https.close();
    }
  });

  it('believes a proxy’s X-Forwarded-Proto and -For only with TRUST_PROXY', async () => {
    const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' };
    const plain = await app.inject({ method: 'GET', url: '/dashboard/auth/slack', headers: forwarded });
    expect(setCookies(plain).get('heating_signin')).not.toContain('Secure');
    const { app: proxied } = await makeTestApp({ trustProxy: true, dashboard: { slackSignIn: settings() } }, core);
    try {
      const res = await proxied.inject({ method: 'GET', url: '/dashboard/auth/slack', headers: forwarded });
      expect(setCookies(res).get('heating_signin')).toMatch(/; Secure$/);
    } finally {
      await proxied.close();
    }
  });
});

/** The organisation file as it would be with one person taken out. */
function orgWithout(staffId: string): Org {
  const config = structuredClone(core.org.config);
  config.staff = config.staff.filter((s) => s.id !== staffId);
  return new Org(config);
}
