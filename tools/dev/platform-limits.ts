/**
 * The platforms' rate limits as the fakes enforce them, when a test or bench turns them on:
 * token buckets (a steady rate with a short burst allowed, as both platforms describe theirs),
 * one per chat or channel and one for the whole bot. A call the bucket cannot cover is refused
 * with the wait until it could be, as the platforms' 429 + retry_after / Retry-After say.
 */
export class LimitBucket {
  private tokens: number;
  private at: number;

  constructor(
    readonly perSecond: number,
    readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.at = now();
  }

  /** Takes one call's token; or, refused, the whole seconds to wait before the next is covered (at least 1). */
  take(): { ok: true } | { ok: false; retryAfterSec: number } {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) * this.perSecond) / 1000);
    this.at = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSec: Math.max(1, Math.ceil((1 - this.tokens) / this.perSecond)) };
  }

  /** Whether a call now would be covered, without taking anything (one call may pass two buckets). */
  covers(): boolean {
    const now = this.now();
    return Math.min(this.burst, this.tokens + ((now - this.at) * this.perSecond) / 1000) >= 1;
  }
}

/** Buckets per key (a chat, a channel), made on first use. */
export class LimitBuckets {
  private readonly map = new Map<string, LimitBucket>();

  constructor(
    readonly perSecond: number,
    readonly burst: number,
  ) {}

  of(key: string): LimitBucket {
    let b = this.map.get(key);
    if (!b) {
      b = new LimitBucket(this.perSecond, this.burst);
      this.map.set(key, b);
    }
    return b;
  }
}
