/** Bounded waiting: every loop of the simulator and the fault drills ends, in count and in time. */

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Polls `check` until it returns something truthy, or gives up after `timeoutMs` (returns
 * undefined). `stop` ends the wait early (the run is over).
 */
export async function until<T>(check: () => T | Promise<T>, o: { timeoutMs: number; everyMs?: number; stop?: () => boolean }): Promise<T | undefined> {
  const end = Date.now() + o.timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() >= end || o.stop?.()) return undefined;
    await sleep(Math.min(o.everyMs ?? 100, Math.max(1, end - Date.now())));
  }
}

/** At most `n` tasks at once; the others wait their turn. */
export class Limit {
  private active = 0;
  private readonly queue: (() => void)[] = [];
  constructor(private readonly n: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.n) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }
}
