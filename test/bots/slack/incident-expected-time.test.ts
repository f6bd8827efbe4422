import { describe, expect, it } from 'vitest';
import { parseExpected } from '../../../src/bots/slack/modals/incident-modal.js';

// the company's zone is Asia/Shanghai (UTC+8): 2026-11-28T15:00Z is 23:00 local
const now = new Date('2026-11-28T15:00:00Z');
const local = (d: Date | null | undefined) => d && new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

describe('the expected restoration time typed in the incident modal', () => {
  it('reads a bare clock time as the next time it comes (at 23:00, 06:00 is the morning after)', () => {
    expect(local(parseExpected('23:30', now))).toBe('2026-11-28 23:30');
    expect(local(parseExpected('06:00', now))).toBe('2026-11-29 06:00');
    expect(local(parseExpected('6：00', now))).toBe('2026-11-29 06:00'); // a full-width colon
  });

  it('reads a named day in either language, which may be past', () => {
    expect(local(parseExpected('今天 08:00', now))).toBe('2026-11-28 08:00');
    expect(local(parseExpected('明天 08:00', now))).toBe('2026-11-29 08:00');
    expect(local(parseExpected('tomorrow 8:15', now))).toBe('2026-11-29 08:15');
    expect(local(parseExpected('后天 10:00', now))).toBe('2026-11-30 10:00');
    expect(local(parseExpected('Day after tomorrow 10:00', now))).toBe('2026-11-30 10:00');
    expect(local(parseExpected('2026-12-07 14:30', now))).toBe('2026-12-07 14:30');
    expect(local(parseExpected('12-01 09:05', now))).toBe('2026-12-01 09:05');
  });

  it('leaves an empty field empty and refuses what it cannot read', () => {
    expect(parseExpected(undefined, now)).toBeUndefined();
    for (const bad of ['下周吧', '25:00', '2026-13-01 10:00', 'soon 10:00', '14:3']) expect(parseExpected(bad, now)).toBeNull();
  });
});
