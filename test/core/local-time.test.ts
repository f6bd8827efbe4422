import { describe, expect, it } from 'vitest';
import { formatMinute, localDateKey, localParts, zonedTimeToUtc } from '../../src/core/local-time.js';

/** What Intl says, the slow way: the reference for the cached offsets. */
function intlParts(at: Date, timeZone: string) {
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    weekday: 'short',
    hourCycle: 'h23',
  });
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  return {
    year: +p.year,
    month: +p.month,
    day: +p.day,
    hour: +p.hour,
    minute: +p.minute,
    second: +p.second,
    weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(p.weekday),
  };
}

describe('local time for people (ticket numbers, office hours, minute stamps R8g)', () => {
  it('agrees with Intl at every minute around daylight-saving changes and in half-hour zones', () => {
    const zones = ['Asia/Shanghai', 'Europe/Berlin', 'America/St_Johns', 'Australia/Lord_Howe', 'Asia/Kathmandu'];
    const starts = ['2026-03-29T00:00:00Z', '2026-10-25T00:00:00Z', '2026-03-08T04:00:00Z', '2026-11-01T03:00:00Z', '2026-04-05T14:00:00Z'];
    for (const zone of zones) {
      for (const start of starts) {
        for (let m = 0; m < 4 * 60; m += 7) {
          const at = new Date(Date.parse(start) + m * 60_000 + 13_500);
          expect(localParts(at, zone), `${zone} ${at.toISOString()}`).toEqual(intlParts(at, zone));
        }
      }
    }
  });

  it('numbers and stamps tickets by the company’s calendar day, not UTC’s', () => {
    const lateUtc = new Date('2026-11-28T16:30:00Z'); // 00:30 on the 29th in Shanghai
    expect(localDateKey(lateUtc, 'Asia/Shanghai')).toBe('20261129');
    expect(formatMinute(lateUtc, 'Asia/Shanghai')).toBe('2026-11-29 00:30');
    expect(zonedTimeToUtc({ year: 2026, month: 11, day: 29, hour: 0, minute: 30 }, 'Asia/Shanghai').toISOString()).toBe('2026-11-28T16:30:00.000Z');
  });
});
