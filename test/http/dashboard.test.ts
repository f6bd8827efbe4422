import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, TEST_TOKEN } from '../helpers/app.js';
import { makeTestCore, type TestCore } from '../helpers/core.js';
import { buildNovember, REPORT_TIME, type NovemberFixture } from '../core/kpi/november-fixture.js';

let app: FastifyInstance;
let core: TestCore;
let fx: NovemberFixture;
let cookie: string;
/** the waits wrong sign-ins were given, instead of sleeping them */
const waits: number[] = [];

beforeAll(async () => {
  core = await makeTestCore();
  fx = await buildNovember(core);
  ({ app } = await makeTestApp({ dashboard: { sleep: async (ms) => void waits.push(ms) } }, core));
  const res = await login(TEST_TOKEN);
  cookie = String(res.headers['set-cookie']).split(';')[0];
});
afterAll(async () => {
  await app?.close();
  await core?.close();
});

function login(token: string, remoteAddress = '127.0.0.1') {
  return app.inject({
    method: 'POST',
    url: '/dashboard/login',
    remoteAddress,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: `token=${encodeURIComponent(token)}`,
  });
}
const page = (url: string, c = cookie) => app.inject({ method: 'GET', url, headers: c ? { cookie: c } : {} });
/** The text of the element with this data attribute, tags stripped. */
const cellText = (html: string, branch: string, rate: string) => {
  const row = html.slice(html.indexOf(`data-branch="${branch}"`));
  const cell = row.slice(row.indexOf(`data-rate="${rate}"`));
  return cell
    .slice(cell.indexOf('>') + 1, cell.indexOf('</td>'))
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
};

describe('signing in to the dashboard', () => {
  it('sends a visitor without a session to the sign-in form', async () => {
    const res = await page('/dashboard?period=2026-11', '');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/dashboard/login');
    const form = await page('/dashboard/login', '');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('登录考核看板');
    expect(form.body).toContain('<input type="password" name="token"');
    expect(form.body).not.toContain('使用 Slack 登录'); // not configured here
  });

  it('refuses a wrong token with the form again and no cookie', async () => {
    const res = await login('not-the-token');
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain('令牌不正确。');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('answers the right token with an HttpOnly, SameSite=Strict cookie for /dashboard holding a random token, and the operator’s session stored by its hash', async () => {
    const res = await login(TEST_TOKEN);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/dashboard');
    const set = String(res.headers['set-cookie']);
    expect(set).toMatch(/^heating_dashboard=[A-Za-z0-9_-]{43}; Path=\/dashboard; Max-Age=43200; HttpOnly; SameSite=Strict$/);
    expect(set).not.toContain(TEST_TOKEN);
    const token = set.slice('heating_dashboard='.length, set.indexOf(';'));
    const row = await core.db.staffSession.findUniqueOrThrow({ where: { id: createHash('sha256').update(token).digest('hex') } });
    expect(row).toMatchObject({ staffId: 'operator', role: 'operator', branchId: null, revokedAt: null });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(12 * 3600_000);
    expect((await page('/dashboard', `heating_dashboard=${token}`)).body).toContain('<span class="who" id="signed-in-as">运维人员（访问令牌）</span>');
  });

  it('ends the session a browser held when it signs in again', async () => {
    const first = String((await login(TEST_TOKEN)).headers['set-cookie']).split(';')[0];
    const again = await app.inject({
      method: 'POST',
      url: '/dashboard/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: first },
      payload: `token=${encodeURIComponent(TEST_TOKEN)}`,
    });
    const second = String(again.headers['set-cookie']).split(';')[0];
    expect(second).not.toBe(first);
    expect((await page('/dashboard', first)).statusCode).toBe(303);
    expect((await page('/dashboard', second)).statusCode).toBe(200);
  });

  it('does not accept a made-up or an expired cookie', async () => {
    expect((await page('/dashboard', `heating_dashboard=${'A'.repeat(43)}`)).statusCode).toBe(303);
    expect((await page('/dashboard', 'heating_dashboard=x')).statusCode).toBe(303);
    core.clock.advance(12 * 3600_000 + 1000);
    try {
      expect((await page('/dashboard')).statusCode).toBe(303);
    } finally {
      core.clock.set(REPORT_TIME);
    }
  });

  it('makes wrong tokens wait longer each time (0.5 s doubling to 8 s), per address and for the operator, and never makes the right token wait or fail', async () => {
    waits.length = 0;
    core.clock.advance(20 * 60_000); // earlier tests' failures are forgotten
    try {
      for (let i = 0; i < 12; i++) expect((await login('guess', '10.9.9.9')).statusCode).toBe(401);
      expect(waits).toEqual([500, 1000, 2000, 4000, ...Array(8).fill(8000)]);
      waits.length = 0;
      const right = await login(TEST_TOKEN, '10.9.9.9');
      expect(right.statusCode).toBe(303);
      expect(waits).toEqual([]);
      // the identity "operator" has failed 12 times: a wrong token from a fresh address waits as long
      expect((await login('guess', '10.7.7.7')).statusCode).toBe(401);
      expect(waits).toEqual([8000]);
      // failures older than 15 minutes are forgotten
      core.clock.advance(16 * 60_000);
      waits.length = 0;
      await login('guess', '10.9.9.9');
      expect(waits).toEqual([500]);
    } finally {
      core.clock.set(REPORT_TIME);
    }
  });

  it('signs out by revoking the session: the same cookie, kept or copied, no longer opens the dashboard', async () => {
    const mine = String((await login(TEST_TOKEN)).headers['set-cookie']).split(';')[0];
    expect((await page('/dashboard', mine)).statusCode).toBe(200);
    const res = await app.inject({ method: 'POST', url: '/dashboard/logout', headers: { cookie: mine } });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/dashboard/login');
    expect(String(res.headers['set-cookie'])).toBe('heating_dashboard=; Path=/dashboard; Max-Age=0; HttpOnly; SameSite=Strict');
    expect((await page('/dashboard', mine)).statusCode).toBe(303);
    expect((await page('/dashboard/kpi.csv?period=2026-11', mine)).statusCode).toBe(303);
    expect((await page('/dashboard')).statusCode).toBe(200); // other sessions go on
  });
});

describe('the session cookie behind TLS', () => {
  const cookieFrom = async (extra: Parameters<typeof makeTestApp>[0], headers: Record<string, string> = {}) => {
    const { app: other } = await makeTestApp(extra, core);
    try {
      const res = await other.inject({
        method: 'POST',
        url: '/dashboard/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        payload: `token=${encodeURIComponent(TEST_TOKEN)}`,
      });
      return String(res.headers['set-cookie']);
    } finally {
      await other.close();
    }
  };

  it('is Secure when PUBLIC_URL is https, though the proxy in front talks plain http to the service', async () => {
    expect(await cookieFrom({ dashboard: { publicUrl: 'https://heat.example.com' } })).toMatch(/; SameSite=Strict; Secure$/);
    expect(await cookieFrom({ dashboard: { publicUrl: 'http://10.0.0.5:3000' } })).not.toContain('Secure');
  });

  it('is Secure when a trusted proxy says the request came over https, and only then', async () => {
    const forwarded = { 'x-forwarded-proto': 'https' };
    expect(await cookieFrom({}, forwarded)).not.toContain('Secure');
    expect(await cookieFrom({ trustProxy: true }, forwarded)).toMatch(/; Secure$/);
    expect(await cookieFrom({ trustProxy: 1 }, forwarded)).toMatch(/; Secure$/);
    expect(await cookieFrom({ trustProxy: ['127.0.0.1'] }, forwarded)).toMatch(/; Secure$/);
    expect(await cookieFrom({ trustProxy: ['10.1.1.1'] }, forwarded)).not.toContain('Secure');
  });
});

describe('the KPI page', () => {
  it('shows every branch’s rates with numerator and denominator, and marks missed targets in words', async () => {
    const res = await page('/dashboard?period=2026-11');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('供热服务考核指标 · 2026年11月');
    expect(cellText(res.body, 'xincheng', 'repairTimeliness')).toBe('55.5% 5/9 未达标 其中 1 件未到期');
    expect(cellText(res.body, 'xincheng', 'satisfaction')).toBe('80% 4/5 未达标');
    expect(cellText(res.body, 'huimin', 'complaintCompletion')).toBe('100% 1/1');
    expect(cellText(res.body, 'yuquan', 'repairTimeliness')).toBe('— 0/0');
    expect(cellText(res.body, 'company', 'complaintCompletion')).toBe('53.8% 7/13 未达标 其中 1 件未到期');
    expect(res.body).toContain('href="/dashboard/kpi.csv?period=month&amp;from=2026-11-01"');
    // the customer's whole wait, mean from the first report to the resolve (880 minutes in 新城)
    expect(res.body).toContain('<th>平均等待（首次报修至解决）</th>');
    expect(res.body).toMatch(/data-branch="xincheng"[\s\S]*?data-count="customerWaitMinutes">14 小时 40 分</);
    expect(res.body).toMatch(/data-branch="yuquan"[\s\S]*?data-count="customerWaitMinutes">—</);
  });

  it('carries the season’s months for the charts as data, and loads Chart.js and its own script from this server', async () => {
    const body = (await page('/dashboard?period=2026-11')).body;
    const json = /<script type="application\/json" id="trend-data">(.*?)<\/script>/s.exec(body)![1];
    const trend = JSON.parse(json);
    expect(trend.labels).toEqual(['2026年10月', '2026年11月', '2026年12月']);
    const repairs = trend.charts.find((c: any) => c.key === 'repairTimeliness');
    expect(repairs.target).toBe(100);
    expect(repairs.series.find((s: any) => s.label === '新城供热分公司').data).toEqual([100, 55.5, null]);
    expect(body).toContain('<script src="/dashboard/assets/chart.umd.js"></script><script src="/dashboard/assets/dashboard.js"></script>');
    expect(body.match(/<script(?![^>]*(src=|type="application\/json"))/g)).toBeNull();
    const chart = await page('/dashboard/assets/chart.umd.js', '');
    expect(chart.statusCode).toBe(200);
    expect(chart.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(chart.body).toContain('Chart.js v4');
  });

  it('sends a content security policy that allows only its own scripts, on the dashboard only', async () => {
    const res = await page('/dashboard');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect((await app.inject({ method: 'GET', url: '/healthz' })).headers['content-security-policy']).toBeUndefined();
  });

  it('speaks English with lang=en and keeps it in its links', async () => {
    const body = (await page('/dashboard?period=2026-11&lang=en')).body;
    expect(body).toContain('<html lang="en">');
    expect(body).toContain('Heating service KPIs · 2026-11');
    expect(cellText(body, 'xincheng', 'repairTimeliness')).toBe('55.5% 5/9 missed 1 not yet due');
    expect(body).toContain('href="/dashboard/tickets?lang=en"');
    expect(body).toContain('<a class="lang" href="/dashboard?period=2026-11">中文</a>');
  });

  it('explains a bad period in words and shows this month instead', async () => {
    const res = await page('/dashboard?period=custom&from=2026-11-10&to=2026-11-01');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('统计期间不对');
    expect(res.body).toContain('2026年12月');
    expect((await page('/dashboard?from=someday')).body).toContain('日期格式不对');
  });

  it('downloads the CSV with the session cookie', async () => {
    const res = await page('/dashboard/kpi.csv?period=2026-11');
    expect(res.statusCode).toBe(200);
    expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(res.rawPayload.toString('utf8')).toContain('新城供热分公司,55.5%,5,9');
    expect((await page('/dashboard/kpi.csv?period=2026-11', '')).statusCode).toBe(303);
  });
});

describe('tickets on the dashboard', () => {
  it('lists open tickets with the overdue ones marked, and filters to overdue only', async () => {
    const all = (await page('/dashboard/tickets')).body;
    for (const name of ['B', 'F', 'J', 'K', 'T', 'Y']) expect(all, name).toContain(`data-number="${fx.numbers[name]}"`);
    expect(all).not.toContain(`data-number="${fx.numbers.D}"`); // closed
    const rowOf = (html: string, n: string) => html.slice(html.indexOf(`data-number="${n}"`), html.indexOf('</tr>', html.indexOf(`data-number="${n}"`)));
    expect(rowOf(all, fx.numbers.F)).toContain('已超期');
    expect(all).toMatch(/<tr class="overdue" data-number="T\d{8}-\d{4}">/);
    const overdue = (await page('/dashboard/tickets?overdue=1&branch=xincheng')).body;
    expect(overdue).toContain(`data-number="${fx.numbers.F}"`);
    expect(overdue).not.toContain(`data-number="${fx.numbers.J}"`); // now with 回民
  });

  it('shows a ticket’s timeline to the minute, with who did each step', async () => {
    const body = (await page(`/dashboard/tickets/${fx.numbers.H}`)).body;
    const steps = [
      ...body.matchAll(/<li data-type="(\w+)"><time datetime="[^"]+">([^<]+)<\/time>\s*<strong>([^<]+)<\/strong>\s*<span class="who">([^<]+)<\/span>/g),
    ].map((m) => [m[2], m[3], m[4]]);
    expect(steps.slice(0, 6)).toEqual([
      ['2026-11-20 10:00', '受理', '李磊'],
      ['2026-11-20 10:00', '派单', '系统'],
      ['2026-11-20 10:30', '转派', '李磊'],
      ['2026-11-20 10:40', '接单', '吴娟'],
      ['2026-11-20 10:50', '到场', '吴娟'],
      ['2026-11-20 13:00', '办结回复', '吴娟'],
    ]);
    expect(body).toContain('<dd id="ticket-status">已关闭</dd>');
    expect(body).toContain('已回访 · <strong>满意</strong>');
    const en = (await page(`/dashboard/tickets/${fx.numbers.H}?lang=en`)).body;
    expect(en).toContain('<strong>Transferred</strong>');
    const missing = await page('/dashboard/tickets/T20990101-0001');
    expect(missing.statusCode).toBe(404);
  });

  it('summarises suggestions by topic with a CSV download', async () => {
    const body = (await page('/dashboard/suggestions?period=2026-11')).body;
    expect(body).toContain('<td>新城供热分公司</td><td>收费窗口</td><td>1</td><td>0</td><td>1</td>');
    expect(body).toContain('href="/dashboard/suggestions.csv?period=2026-11"');
    const csv = await page('/dashboard/suggestions.csv?period=2026-11');
    expect(csv.rawPayload.toString('utf8')).toContain('希望延长收费窗口时间');
  });
});
