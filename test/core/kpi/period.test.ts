import { describe, expect, it } from 'vitest';
import { calendarMonth, dayOf, describePeriod, monthOf, monthsIn, parseDateParam, resolvePeriod, seasonOf, weekOf } from '../../../src/core/kpi/period.js';

const season = { start: '10-15', end: '04-15' };
const now = new Date('2026-11-28T06:00:00Z'); // Saturday 28 November, 14:00 in 呼和浩特
const iso = (p: { from: Date; to: Date }) => [p.from.toISOString(), p.to.toISOString()];

describe('assessment periods in local time (八)', () => {
  it('starts a day, a Monday-first week and a month at local midnight', () => {
    expect(iso(dayOf(now))).toEqual(['2026-11-27T16:00:00.000Z', '2026-11-28T16:00:00.000Z']);
    expect(iso(weekOf(now))).toEqual(['2026-11-22T16:00:00.000Z', '2026-11-29T16:00:00.000Z']);
    expect(weekOf(now)).toMatchObject({ firstDay: '2026-11-23', lastDay: '2026-11-29' });
    expect(monthOf(now)).toMatchObject({ kind: 'month', firstDay: '2026-11-01', lastDay: '2026-11-30' });
    expect(iso(calendarMonth(2026, 12))).toEqual(['2026-11-30T16:00:00.000Z', '2026-12-31T16:00:00.000Z']);
  });

  it('takes the heating season from the organisation, both end days included, and the last one outside it', () => {
    expect(seasonOf(now, season)).toMatchObject({ kind: 'season', firstDay: '2026-10-15', lastDay: '2027-04-15' });
    expect(seasonOf(new Date('2027-03-01T04:00:00Z'), season)).toMatchObject({ firstDay: '2026-10-15', lastDay: '2027-04-15' });
    expect(seasonOf(new Date('2026-07-01T04:00:00Z'), season)).toMatchObject({ firstDay: '2025-10-15', lastDay: '2026-04-15' });
    expect(describePeriod(seasonOf(now, season))).toMatchObject({ startYear: 2026, endYear: 2027 });
  });

  it('splits a season into its months for the trend charts, the first and last clipped', () => {
    const months = monthsIn(seasonOf(now, season));
    expect(months.map((m) => `${m.firstDay}..${m.lastDay}`)).toEqual([
      '2026-10-15..2026-10-31',
      '2026-11-01..2026-11-30',
      '2026-12-01..2026-12-31',
      '2027-01-01..2027-01-31',
      '2027-02-01..2027-02-28',
      '2027-03-01..2027-03-31',
      '2027-04-01..2027-04-15',
    ]);
  });

  it('reads what a caller asks: nothing is this month, a named period holds from, YYYY-MM is that month, from and to are custom', () => {
    expect(resolvePeriod({}, now, season)).toMatchObject({ kind: 'month', firstDay: '2026-11-01' });
    expect(resolvePeriod({ period: 'week', from: '2026-11-03' }, now, season)).toMatchObject({ firstDay: '2026-11-02', lastDay: '2026-11-08' });
    expect(resolvePeriod({ period: '2026-12' }, now, season)).toMatchObject({ kind: 'month', firstDay: '2026-12-01', lastDay: '2026-12-31' });
    expect(resolvePeriod({ period: 'season' }, now, season)).toMatchObject({ firstDay: '2026-10-15' });
    const custom = resolvePeriod({ from: '2026-11-01', to: '2026-11-15T12:00:00+08:00' }, now, season);
    expect(custom.kind).toBe('custom');
    expect(iso(custom)).toEqual(['2026-10-31T16:00:00.000Z', '2026-11-15T04:00:00.000Z']);
  });

  it('refuses a bad date with invalid_date and an impossible period with invalid_period', () => {
    for (const bad of ['yesterday', '2026-02-30', '2026-11-28T10:00', '28/11/2026', '']) {
      expect(() => parseDateParam('from', bad), bad).toThrow(expect.objectContaining({ code: 'invalid_date' }));
    }
    const cases = [
      { from: '2026-11-10', to: '2026-11-10' },
      { from: '2026-11-10', to: '2026-11-01' },
      { from: '2026-11-10', period: 'custom' },
      { period: 'year' },
      { period: '2026-13' },
      { period: 'month', to: '2026-12-01' },
    ];
    for (const q of cases) expect(() => resolvePeriod(q, now, season), JSON.stringify(q)).toThrow(expect.objectContaining({ code: 'invalid_period' }));
  });
});
