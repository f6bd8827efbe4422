/** The fixed-window counter behind the HTTP and the bot's flood limits, on a clock moved by hand. */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import { WindowCounter } from '../../../src/core/limits/window-counter.js';

describe('a window counter', () => {
  it('counts hits in the window the first hit opened, and starts again once it has passed', () => {
    const clock = new ManualClock('2026-11-28T06:00:00Z');
    const c = new WindowCounter(clock);
    expect(c.hit('a', 10_000)).toEqual({ count: 1, resetAt: new Date('2026-11-28T06:00:10Z') });
    clock.advance(9_999);
    expect(c.hit('a', 10_000).count).toBe(2);
    expect(c.peek('a')?.count).toBe(2);
    clock.advance(1);
    expect(c.peek('a')).toBeNull();
    expect(c.hit('a', 10_000)).toEqual({ count: 1, resetAt: new Date('2026-11-28T06:00:20Z') });
  });

  it('forgets the oldest windows rather than growing without bound under a flood of new keys', () => {
    const clock = new ManualClock('2026-11-28T06:00:00Z');
    const c = new WindowCounter(clock, 100);
    for (let i = 0; i < 1000; i++) c.hit(`addr-${i}`, 60_000);
    expect(c.peek('addr-0')).toBeNull();
    expect(c.peek('addr-999')?.count).toBe(1);
    let kept = 0;
    for (let i = 0; i < 1000; i++) if (c.peek(`addr-${i}`)) kept++;
    expect(kept).toBeLessThanOrEqual(100);
  });
});
