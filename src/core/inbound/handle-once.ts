/**
 * Inbound idempotency: a Telegram update, a Slack event or interaction is handled once, and a
 * request whose handling did not finish is handled again when it comes again.
 *
 * A request's receipt is stored only when its work is done: with the work itself where the work
 * writes (a report filed takes the receipt keys into its own transaction), else right after it.
 * While the work runs, the request is "in progress" in this process's memory only: a process
 * that dies holds nothing, so the platform's redelivery after a crash is handled, not dropped as
 * a replay. A copy that arrives while the first is in progress here waits for its outcome: done
 * makes it a replay; a failure lets the copy be handled (or fail in turn, so the platform retries).
 *
 * Two instances may both handle a request that reaches both at once; a filing's receipts in its
 * transaction still let only one of them file it.
 */
import type { Core } from '../context.js';

/** What a request's work may do with the receipts that are stored when it is done. */
export class InboundReceipt {
  private readonly extra: string[] = [];
  private readonly storedKeys = new Set<string>();

  constructor(readonly key: string) {}

  /** Another key to store with the request's own (an action that is acted on once, like a button). */
  add(key: string): void {
    if (key !== this.key && !this.extra.includes(key)) this.extra.push(key);
  }

  /** The request's key first, then the keys added. */
  get keys(): string[] {
    return [this.key, ...this.extra];
  }

  /** The work stored these keys in its own transaction (a filing): they are not stored again after it. */
  markStored(keys: readonly string[]): void {
    for (const k of keys) this.storedKeys.add(k);
  }

  /** The keys still to store when the work is done. */
  get unstored(): string[] {
    return this.keys.filter((k) => !this.storedKeys.has(k));
  }
}

export type Outcome = 'handled' | 'replay';

/** The gate of one process: the requests in progress here, and the receipts of those done. */
export class InboundGate {
  private readonly inProgress = new Map<string, Promise<boolean>>();

  constructor(private readonly core: Pick<Core, 'stores' | 'clock'>) {}

  /**
   * Runs `work` unless the request `key` was handled: 'replay' when it was (also before a
   * restart, or while this process was handling a copy that then succeeded). A failing `work`
   * rejects and stores nothing.
   */
  async handle(key: string, work: (receipt: InboundReceipt) => Promise<void>): Promise<Outcome> {
    for (;;) {
      const running = this.inProgress.get(key);
      if (!running) break;
      if (await running) return 'replay';
    }
    // registered before the first await: a copy arriving from now on waits for this one
    let settle!: (done: boolean) => void;
    this.inProgress.set(
      key,
      new Promise<boolean>((resolve) => {
        settle = resolve;
      }),
    );
    let done = false;
    try {
      if (await this.core.stores.receipts.seen(key)) {
        done = true;
        return 'replay';
      }
      const receipt = new InboundReceipt(key);
      await work(receipt);
      const rest = receipt.unstored;
      if (rest.length) await this.core.stores.receipts.record(rest, this.core.clock.now());
      done = true;
      return 'handled';
    } finally {
      // out of the map before the waiters wake, so the first of them to find it empty goes next
      this.inProgress.delete(key);
      settle(done);
    }
  }

  /** Whether an action acted on once (see InboundReceipt.add) was done before. */
  seen(key: string): Promise<boolean> {
    return this.core.stores.receipts.seen(key);
  }
}

const gates = new WeakMap<object, InboundGate>();

/** The gate of this process for `core` (one per core: every transport shares it). */
export function inboundGate(core: Pick<Core, 'stores' | 'clock'>): InboundGate {
  let gate = gates.get(core.stores);
  if (!gate) {
    gate = new InboundGate(core);
    gates.set(core.stores, gate);
  }
  return gate;
}
