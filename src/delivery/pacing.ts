/**
 * The platforms' own limits, kept on this side so that they are met rather than discovered by
 * 429s: Telegram takes about 30 messages a second from a bot in all and about one a second per
 * chat; Slack about one chat.postMessage a second per channel (short bursts allowed).
 */

/**
 * Messages a second the bot sends in all, by default: Telegram allows about 30; 28 leaves a little
 * for requests that arrive bunched (10,000 households told in about six minutes).
 */
export const TELEGRAM_PER_SECOND = 28;

/** A place in the queue for a platform's rate: lower goes first (an outbox row's priority, then its id). */
export type Rank = readonly [priority: number, id: number];

const before = (a: Rank, b: Rank) => a[0] - b[0] || a[1] - b[1];

/**
 * A platform-wide rate (a token bucket) whose turns go to the waiting sends by rank, not by
 * arrival: a resident's reply that comes while a thousand notices wait for their turns takes
 * the next one. One timer serves the queue, so a thousand waiters do not each wake at every
 * refill to race for the next token.
 */
export class RateGate {
  private tokens: number;
  private at: number;
  private readonly queue: { rank: Rank; go: (ok: boolean) => void }[] = [];
  private timer: NodeJS.Timeout | null = null;

  /**
   * `perSecond` turns a second, at most `burst` saved up. A burst of a tenth of a second's worth
   * keeps the flow even: a gate that saved a whole second's turns would, with the next second's,
   * put twice the rate into one second of the platform's count.
   */
  constructor(
    readonly perSecond: number,
    readonly burst: number = Math.max(1, Math.floor(perSecond / 10)),
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.at = now();
  }

  /** Resolves true at this send's turn, or false if the gate is closed first. */
  turn(rank: Rank): Promise<boolean> {
    return new Promise((go) => {
      const i = this.queue.findIndex((w) => before(rank, w.rank) < 0);
      this.queue.splice(i < 0 ? this.queue.length : i, 0, { rank, go });
      this.serve();
    });
  }

  /** Every waiting send is told no (the worker is stopping). */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const w of this.queue.splice(0)) w.go(false);
  }

  private serve(): void {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) * this.perSecond) / 1000);
    this.at = now;
    while (this.tokens >= 1 && this.queue.length) {
      this.tokens -= 1;
      this.queue.shift()!.go(true);
    }
    if (this.queue.length && !this.timer) {
      this.timer = setTimeout(
        () => {
          this.timer = null;
          this.serve();
        },
        Math.ceil(((1 - this.tokens) * 1000) / this.perSecond),
      );
    }
  }
}
