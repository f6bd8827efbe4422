/**
 * Counts hits per key in fixed windows on the injected clock: the first hit of a key opens its
 * window, hits after the window's end open the next. Kept in memory, per instance: it limits
 * floods (HTTP requests per address, a resident's messages per chat), not business rules, so a
 * restart forgetting the counts costs nothing. The number of keys is capped: a flood of new
 * keys (spoofed addresses) forgets the oldest windows instead of growing without bound.
 */
import type { Clock } from '../clock.js';

export interface WindowHit {
  /** hits in the key's current window, this one included */
  count: number;
  /** when the current window ends */
  resetAt: Date;
}

export class WindowCounter {
  private readonly windows = new Map<string, { start: number; count: number; ms: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly maxKeys = 10_000,
  ) {}

  /** Counts one hit for `key` in a window of `windowMs`. */
  hit(key: string, windowMs: number): WindowHit {
    const now = this.clock.now().getTime();
    let w = this.windows.get(key);
    if (!w || now >= w.start + w.ms) {
      if (w) this.windows.delete(key);
      w = { start: now, count: 0, ms: windowMs };
      this.make(key, w);
    }
    w.count++;
    return { count: w.count, resetAt: new Date(w.start + w.ms) };
  }

  /** The hits of `key` in its running window, without counting one; null when none is running. */
  peek(key: string): WindowHit | null {
    const w = this.windows.get(key);
    if (!w || this.clock.now().getTime() >= w.start + w.ms) return null;
    return { count: w.count, resetAt: new Date(w.start + w.ms) };
  }

  private make(key: string, w: { start: number; count: number; ms: number }): void {
    if (this.windows.size >= this.maxKeys) {
      // a window restarts by being inserted anew, so Map order is oldest window first
      for (const k of this.windows.keys()) {
        if (this.windows.size < this.maxKeys * 0.9) break;
        this.windows.delete(k);
      }
    }
    this.windows.set(key, w);
  }
}
