/**
 * The dashboard in a real browser: Debian's Chromium driven by playwright-core against the app
 * listening on 127.0.0.1. Skipped, with a warning, where /usr/bin/chromium is not installed.
 */
import { existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, TEST_TOKEN } from '../helpers/app.js';
import { makeTestCore, type TestCore } from '../helpers/core.js';
import { buildNovember, type NovemberFixture } from '../core/kpi/november-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`dashboard browser test skipped: ${CHROMIUM} is not installed (apt-get install chromium)`);

export const SCREENSHOT = '/tmp/kpi-dashboard.png';

describe.skipIf(!haveChromium)('the dashboard in Chromium', () => {
  let app: FastifyInstance;
  let core: TestCore;
  let fx: NovemberFixture;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    core = await makeTestCore();
    fx = await buildNovember(core);
    ({ app } = await makeTestApp({}, core));
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await core?.close();
  });

  it('signs in with the token, shows the branch table and draws the trend charts without a CSP complaint', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));

    await page.goto(`${base}/dashboard?period=2026-11`);
    expect(new URL(page.url()).pathname).toBe('/dashboard/login');
    await page.fill('input[name="token"]', TEST_TOKEN);
    await Promise.all([page.waitForURL(`${base}/dashboard`), page.click('button[type="submit"]')]);
    await page.goto(`${base}/dashboard?period=2026-11`);

    expect(await page.locator('#period-label').innerText()).toBe('供热服务考核指标 · 2026年11月');
    const cell = (branch: string, rate: string) => page.locator(`tr[data-branch="${branch}"] td[data-rate="${rate}"]`);
    const text = async (branch: string, rate: string) => (await cell(branch, rate).innerText()).replace(/\s+/g, '');
    expect(await text('xincheng', 'repairTimeliness')).toBe('55.5%5/9未达标其中1件未到期');
    expect(await text('huimin', 'satisfaction')).toBe('100%1/1');
    expect(await page.locator('tr[data-branch="xincheng"] td[data-count="reopened"]').innerText()).toBe('2');
    // a missed target reads red
    expect(
      await cell('xincheng', 'repairTimeliness')
        .locator('.pct')
        .evaluate((el) => (globalThis as any).getComputedStyle(el).color),
    ).toBe('rgb(198, 40, 40)');

    const drawn = await page.evaluate(() => {
      // runs in the page: the browser's globals, untyped here (the project compiles without the DOM library)
      const g = globalThis as any;
      const canvas = g.document.getElementById('chart-repairTimeliness');
      const pixels: Uint8ClampedArray = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted++;
      const charts = g.kpiCharts ?? {};
      return {
        charts: Object.keys(charts),
        xincheng: charts.repairTimeliness?.data.datasets.find((d: { label: string }) => d.label === '新城供热分公司')?.data as (number | null)[],
        painted,
        size: [canvas.width, canvas.height] as number[],
      };
    });
    expect(drawn.charts).toEqual(['repairTimeliness', 'satisfaction', 'complaintTimeliness', 'complaintCompletion', 'complaintSatisfaction']);
    expect(drawn.xincheng).toEqual([100, 55.5, null]);
    expect(drawn.size[0]).toBeGreaterThan(300);
    expect(drawn.painted).toBeGreaterThan(2000);

    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(problems).toEqual([]);
  }, 60_000);

  it('opens a ticket’s timeline from the open-tickets list', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/dashboard/login?lang=en`);
    await page.fill('input[name="token"]', TEST_TOKEN);
    await Promise.all([page.waitForURL(`${base}/dashboard?lang=en`), page.click('button[type="submit"]')]);
    await page.goto(`${base}/dashboard/tickets?overdue=1&lang=en`);
    await page.click(`a[href="/dashboard/tickets/${fx.numbers.F}?lang=en"]`);
    await page.waitForURL(`**/dashboard/tickets/${fx.numbers.F}?lang=en`);
    expect(await page.locator('h1').innerText()).toBe(`Ticket ${fx.numbers.F}`);
    expect(await page.locator('#timeline li strong').allInnerTexts()).toEqual(['Received', 'Dispatched']);
  }, 60_000);
});
