/**
 * The dashboard's ticket page shows what a city platform sent with a ticket it filed through
 * Open311: the platform, its answers in words, the citizen's photo as a link that leaves with no
 * opener or referrer, the e-mail, its address text when it differs from the ticket's, and the
 * point on a map; every value escaped. A ticket from another channel has none of it.
 * Real HTTP on loopback, real database.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORG } from '../../src/config.js';
import { fileCityRequest } from '../../src/core/open311/file-city-request.js';
import { createTicket } from '../../src/core/tickets/create-ticket.js';
import { seedDemoCustomers } from '../../src/db/seed-demo.js';
import { makeTestApp, staffSessionCookie } from '../helpers/app.js';
import { hotlineComplaint, cityRequestInput } from '../helpers/builders.js';
import { makeTestCore, type TestCore } from '../helpers/core.js';

let app: FastifyInstance;
let core: TestCore;
let base: string;
let cookie: string;

beforeAll(async () => {
  const org = parse(readFileSync(DEMO_ORG, 'utf8'));
  org.apiClients = [{ id: 'city', name: '12345 市民服务热线', scopes: ['read', 'write'], tokenSha256: 'a'.repeat(64) }];
  core = await makeTestCore({ org });
  await seedDemoCustomers(core);
  ({ app } = await makeTestApp({}, core));
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  // 周静, the 新城 branch's coordinator: the branch these requests go to
  cookie = await staffSessionCookie(core, 'xincheng-coord');
});
afterAll(async () => {
  await app?.close();
  await core?.close();
});

async function ticketPage(number: string, lang = ''): Promise<string> {
  const res = await fetch(`${base}/dashboard/tickets/${number}${lang ? `?lang=${lang}` : ''}`, { headers: { cookie } });
  expect(res.status).toBe(200);
  return res.text();
}

/** Markup as a person reads it: tags gone, spaces folded. */
const words = (markup: string) =>
  markup
    .replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/** The facts list, one "term: value" per line. */
function facts(page: string): string[] {
  const dl = page.slice(page.indexOf('<dl class="facts">'), page.indexOf('</dl>'));
  return [...dl.matchAll(/<dt>([\s\S]*?)<\/dt>\s*<dd[^>]*>([\s\S]*?)<\/dd>/g)].map((m) => `${words(m[1])}: ${words(m[2])}`);
}

describe('the ticket page of a city platform’s request', () => {
  it('shows the platform, its answers in words, the photo as a link with no opener or referrer, the e-mail and the point on a map', async () => {
    const { ticket } = await fileCityRequest(
      core,
      cityRequestInput({
        email: 'zhangwei@example.cn',
        mediaUrl: 'https://12345.example.gov.cn/m/1.jpg?size=big&v=2',
        lat: 40.8441,
        long: 111.6902,
        attributes: { room_temperature: '14', extent: 'building' },
      }),
    );
    const page = await ticketPage(ticket.number);
    expect(facts(page)).toEqual(
      expect.arrayContaining([
        '城市平台: 12345 市民服务热线',
        '室内温度（℃）: 14',
        '影响范围: 整栋楼',
        '照片/附件: 在 12345.example.gov.cn 打开',
        '电子邮箱: zhangwei@example.cn',
        '位置: 40.8441, 111.6902 · 在地图上查看',
      ]),
    );
    expect(page).toContain('<a href="https://12345.example.gov.cn/m/1.jpg?size=big&amp;v=2" rel="noopener noreferrer" target="_blank">');
    expect(page).toContain(
      '<a href="https://www.openstreetmap.org/?mlat=40.8441&amp;mlon=111.6902#map=17/40.8441/111.6902" rel="noopener noreferrer" target="_blank">',
    );
    // the platform's address text is the ticket's address: not said twice
    expect(page).not.toContain('平台填写的地址');
  });

  it('words a leak’s answers in the order the service asks them, in English too', async () => {
    const { ticket } = await fileCityRequest(
      core,
      cityRequestInput({ serviceCode: 'leak', description: '楼道暖气管跑水', attributes: { leak_place: 'stairwell', water_running: 'yes' } }),
    );
    const zh = facts(await ticketPage(ticket.number)).filter((f) => f.startsWith('现在是否') || f.startsWith('跑水位置'));
    expect(zh).toEqual(['现在是否仍在跑水？: 是，仍在跑水', '跑水位置: 楼道']);
    const en = facts(await ticketPage(ticket.number, 'en'));
    expect(en).toEqual(expect.arrayContaining(['City platform: 12345 市民服务热线', 'Is water still running now?: Yes, still running']));
    expect(en.join('\n')).not.toContain('Photo/attachment');
  });

  it('escapes the platform’s hostile address text, e-mail and media URL', async () => {
    const hostile = '<!channel> *加急* <script>alert(1)</script> 幸福家园';
    const { ticket } = await fileCityRequest(
      core,
      cityRequestInput({
        addressString: hostile,
        addressId: '1010000000',
        email: '<script>x</script>@example.cn',
        mediaUrl: 'https://12345.example.gov.cn/m/"><script>alert(1)</script>',
      }),
    );
    const page = await ticketPage(ticket.number);
    expect(page).not.toContain('<script>');
    expect(page).toContain('平台填写的地址</dt><dd id="city-address">&lt;!channel&gt; *加急* &lt;script&gt;alert(1)&lt;/script&gt; 幸福家园</dd>');
    expect(page).toContain('<dd id="city-email">&lt;script&gt;x&lt;/script&gt;@example.cn</dd>');
    expect(page).toContain('<a href="https://12345.example.gov.cn/m/%22%3E%3Cscript%3Ealert(1)%3C/script%3E" rel="noopener noreferrer" target="_blank">');
  });

  it('shows a media URL that is not http(s) as no link at all', async () => {
    const { ticket } = await fileCityRequest(core, cityRequestInput({ mediaUrl: 'https://12345.example.gov.cn/m/3.jpg' }));
    // a row written another way than the API's (which refuses anything but http(s))
    await core.db.cityRequest.update({ where: { ticketId: ticket.id }, data: { mediaUrl: 'javascript:alert(1)' } });
    const page = await ticketPage(ticket.number);
    expect(page).not.toContain('javascript:');
    expect(page).not.toContain('照片/附件');
    expect(facts(page)).toContain('城市平台: 12345 市民服务热线');
  });
});

describe('the ticket page of a ticket from another channel', () => {
  it('has no city-platform lines', async () => {
    const t = await createTicket(core, hotlineComplaint({ source: 'telegram', firstResponder: 'telegram' }));
    const page = await ticketPage(t.number);
    expect(facts(page).length).toBeGreaterThan(5);
    expect(page).not.toContain('城市平台');
    expect(page).not.toContain('id="city-');
  });
});
