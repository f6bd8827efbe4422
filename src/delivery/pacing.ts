/**
 * The platforms' own limits, kept on this side so that they are met rather than discovered by
 * 429s: Telegram takes about 30 messages a second from a bot in all and about one a second per
 * chat; Slack about one chat.postMessage a second per channel (short bursts allowed).
 *
 * A token bucket for a platform-wide rate: each send reserves its turn at once (the bucket may
 * owe tokens), so that each waiting lane sleeps once, until its own turn, instead of every
 * waiter waking at each refill to race for the next token.
 */
export class TokenBucket {
  private tokens: number;
  private at: number;

  /**
   * `perSecond` tokens a second, at most `burst` saved up. A burst of a quarter second's worth
   * keeps the flow even: a bucket that saved a whole second's sends would, with the next
   * second's, put twice the rate into one second of the platform's window.
   */
  constructor(
    readonly perSecond: number,
    readonly burst: number = Math.max(1, Math.floor(perSecond / 4)),
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.at = now();
  }

  /** Reserves one send; returns how many ms to wait before making it (0: now). */
  reserve(): number {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) * this.perSecond) / 1000);
    this.at = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / this.perSecond);
  }

  /** Gives back a reservation that was not used (the worker stopped while it waited). */
  unreserve(): void {
    this.tokens = Math.min(this.burst, this.tokens + 1);
  }
}
