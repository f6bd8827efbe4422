/**
 * Every typed error code of the core reaches a staff member in Slack in words (conventions:
 * every word a person reads comes from the locales), never as the generic "not done (code)".
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorText, type SlackDeps } from '../../../src/bots/slack/kit.js';
import { AppError, type ErrorCode } from '../../../src/core/errors.js';
import { t } from '../../../src/i18n/index.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

const CODES = [...readFileSync(resolve(import.meta.dirname, '../../../src/core/errors.ts'), 'utf8').matchAll(/\|\s*'([a-z_]+)'/g)].map(
  (m) => m[1] as ErrorCode,
);

let core: TestCore;
beforeAll(async () => {
  core = await makeTestCore();
});
afterAll(() => core.close());

const deps = (locale: 'zh-CN' | 'en'): SlackDeps => ({ core, locale, log: { info() {}, warn() {}, error() {}, debug() {} } as unknown as SlackDeps['log'] });

describe('Slack words every core error code (R8, R12, R14/R15, R19, R29, R31)', () => {
  it('reads the codes of src/core/errors.ts, the ones of issue 17 among them', () => {
    for (const c of [
      'reason_required',
      'period_not_ended',
      'callback_retry_too_soon',
      'callback_not_answered',
      'form_not_found',
      'form_already_returned',
      'invalid_range',
      'labour_fee_exceeded',
      'after_sales_required',
      'invalid_quote',
      'quote_expired',
      'quote_already_answered',
      'finding_exists',
      'conduct_staff_required',
      'not_a_suggestion',
    ])
      expect(CODES).toContain(c);
  });

  for (const locale of ['zh-CN', 'en'] as const)
    it(`every code has its own text in ${locale}, not the generic "not done (code)"`, async () => {
      const generic: string[] = [];
      for (const code of CODES) {
        const said = await errorText(deps(locale), new AppError(code, 'test', {}));
        if (said === t(locale, 'slack.error.generic', { code }) || said.includes(code)) generic.push(code);
      }
      expect(generic).toEqual([]);
    });

  it('a leader closing a month that has not ended reads why, and a change to a closed month asks for a reason (R29, R30)', async () => {
    expect(await errorText(deps('zh-CN'), new AppError('period_not_ended', 'x', {}))).toBe('该月份尚未结束，不能封存。');
    expect(await errorText(deps('en'), new AppError('reason_required', 'x', {}))).toBe('The ticket belongs to a closed month; give a reason to change it.');
  });
});
