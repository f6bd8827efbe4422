/**
 * Failed sign-ins slow the next wrong answer down, per identity (the token form signs in as
 * "operator") and per client address, and never lock anyone out: the credential is checked
 * first and a right one is answered at once, however many wrong ones came before it. Behind a
 * proxy every user may share one address, so locking an address would lock out everyone; a
 * doubling wait (0.5 s to 8 s) makes guessing slow without that. Floods are the rate limiter's.
 */
import type { Clock } from '../../core/clock.js';

export const FIRST_WAIT_MS = 500;
export const LONGEST_WAIT_MS = 8000;
/** failures older than this are forgotten */
export const FAILURE_WINDOW_MS = 15 * 60_000;
/** a flood of addresses must not grow memory without bound: the oldest keys go first */
const MAX_KEYS = 10_000;

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class SignInSlowdown {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly sleep: Sleep = realSleep,
  ) {}

  private recent(key: string): number[] {
    const since = this.clock.now().getTime() - FAILURE_WINDOW_MS;
    const kept = (this.failures.get(key) ?? []).filter((at) => at > since);
    if (kept.length) this.failures.set(key, kept);
    else this.failures.delete(key);
    return kept;
  }

  /** How long a wrong answer waits after `n` recent failures of the worse of its keys (this one counted). */
  static waitFor(n: number): number {
    return n <= 0 ? 0 : Math.min(LONGEST_WAIT_MS, FIRST_WAIT_MS * 2 ** Math.min(n - 1, 16));
  }

  /** Records a wrong answer for each key (identity, address) and waits as long as the worse of them has earned. */
  async failed(keys: string[]): Promise<number> {
    const now = this.clock.now().getTime();
    let worst = 0;
    for (const key of keys) {
      const list = [...this.recent(key), now];
      this.failures.delete(key); // re-inserted last: the Map's order is then oldest first
      this.failures.set(key, list);
      worst = Math.max(worst, list.length);
    }
    while (this.failures.size > MAX_KEYS) this.failures.delete(this.failures.keys().next().value as string);
    const ms = SignInSlowdown.waitFor(worst);
    await this.sleep(ms);
    return ms;
  }
}
