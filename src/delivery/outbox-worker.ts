/**
 * Delivers the outbox (see core/outbox/enqueue.ts): at-least-once, in order per target,
 * with backoff and jitter, obeying Retry-After, and a dead-letter state after maxAttempts.
 * Rows are claimed with a lease, so several instances never send the same row at once and a
 * killed instance's rows are picked up again when the lease runs out.
 *
 * At-least-once: a message the platform took whose "sent" was never written (the instance
 * stopped in between, or the answer was lost) is attempted again. Such a row is marked outcome
 * unknown (core/outbox/outcome-unknown.ts) and its deliverer is told, so that Slack's looks in
 * the channel for the message before posting it again; Telegram cannot look, so there a message
 * can come twice.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { OutboxMessage, Platform } from '../core/model.js';
import { isOutcomeUnknown, outcomeUnknown } from '../core/outbox/outcome-unknown.js';
import type { OutboxStore } from '../core/ports/outbox-store.js';
import { DeliveryError, type Deliverer, type DeliveryResult } from './types.js';

export interface OutboxWorkerOptions {
  outbox: OutboxStore;
  clock: Clock;
  deliverers: Partial<Record<Platform, Deliverer>>;
  maxAttempts?: number;
  /** the longest wait between two attempts of one message (default 5 minutes) */
  maxBackoffMs?: number;
  batchSize?: number;
  leaseMs?: number;
  /** minimum gap between two messages to one target (Telegram chat, Slack channel) */
  perTargetGapMs?: number;
  log?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  owner?: string;
}

export class OutboxWorker {
  readonly owner: string;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private stopped = true;
  /** set by stop(): a pass waiting out a target's gap gives its remaining rows back instead */
  private closing = false;
  private readonly wakeOnClose = new Set<() => void>();
  private readonly lastSent = new Map<string, number>();

  constructor(private readonly o: OutboxWorkerOptions) {
    this.owner = o.owner ?? `w-${randomUUID().slice(0, 8)}`;
  }

  private get platforms(): Platform[] {
    return (Object.keys(this.o.deliverers) as Platform[]).filter((p) => this.o.deliverers[p]);
  }

  /** One pass: deliver what is due. Returns how many messages were sent. */
  async runOnce(): Promise<number> {
    const now = this.o.clock.now();
    const rows = await this.o.outbox.claim({
      platforms: this.platforms,
      owner: this.owner,
      now,
      leaseUntil: new Date(now.getTime() + (this.o.leaseMs ?? 60_000)),
      take: this.o.batchSize ?? 50,
    });
    const byTarget = new Map<string, OutboxMessage[]>();
    for (const r of rows) {
      const k = `${r.platform}:${r.target}`;
      byTarget.set(k, [...(byTarget.get(k) ?? []), r]);
    }
    let sent = 0;
    await Promise.all(
      [...byTarget.entries()].map(async ([target, list]) => {
        const release = (rows: OutboxMessage[]) =>
          this.o.outbox.release(
            rows.map((r) => r.id),
            this.owner,
          );
        for (let i = 0; i < list.length; i++) {
          if (!(await this.gapPassed(target))) {
            // shutting down: the rest stay owed, free for the next start or another instance
            await release(list.slice(i));
            break;
          }
          const ok = await this.deliverOne(target, list[i]);
          if (ok) sent++;
          else {
            // release the rest so that order per target holds
            await release(list.slice(i + 1));
            break;
          }
        }
      }),
    );
    return sent;
  }

  /** Waits out the minimum gap since the last message to `target`; false if the worker is stopping. */
  private async gapPassed(target: string): Promise<boolean> {
    const gap = this.o.perTargetGapMs ?? 0;
    const last = this.lastSent.get(target);
    const wait = gap && last !== undefined ? last + gap - Date.now() : 0;
    if (wait > 0 && !this.closing) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.wakeOnClose.delete(done);
          resolve();
        };
        const timer = setTimeout(done, wait);
        this.wakeOnClose.add(done);
      });
    }
    return !this.closing;
  }

  private async deliverOne(target: string, row: OutboxMessage): Promise<boolean> {
    const { outbox, clock } = this.o;
    const inDoubt = isOutcomeUnknown(row);
    let out: DeliveryResult | undefined;
    try {
      out = await this.o.deliverers[row.platform]!.deliver(row, { outcomeUnknown: inDoubt });
    } catch (e) {
      await this.failed(row, e, inDoubt);
      return false;
    }
    this.lastSent.set(target, Date.now());
    // delivered: if writing so fails, the pass fails and the row keeps its lease, so the next claim
    // marks it outcome unknown (it is not a failed delivery to retry blindly)
    await outbox.markSent(row.id, { at: clock.now(), attempts: row.attempts + 1, result: out?.result ? JSON.stringify(out.result) : null });
    return true;
  }

  /** A failed attempt: retried after backoff (or Retry-After), dead after maxAttempts or a permanent refusal. */
  private async failed(row: OutboxMessage, e: unknown, inDoubt: boolean): Promise<void> {
    const attempts = row.attempts + 1;
    const de = e instanceof DeliveryError ? e : null;
    // 20 attempts with backoff capped at 5 minutes ride out about an hour of platform outage
    const dead = de?.opts.permanent || attempts >= (this.o.maxAttempts ?? 20);
    const backoff = Math.min(2 ** attempts * 1000, this.o.maxBackoffMs ?? 5 * 60_000) * (0.75 + Math.random() * 0.5);
    const delay = Math.max(de?.opts.retryAfterMs ?? 0, backoff);
    // the doubt lasts until a delivery succeeds: a retry that failed before posting settles nothing
    const why = (e as Error).message.slice(0, 480);
    const message = inDoubt || de?.opts.outcomeUnknown ? outcomeUnknown(why) : why;
    (dead ? this.o.log?.error : this.o.log?.warn)?.call(
      this.o.log,
      { outboxId: row.id, kind: row.kind, attempts, error: message },
      dead ? 'outbox message dead' : 'outbox delivery failed, will retry',
    );
    await this.o.outbox.markFailed(row.id, { attempts, error: message, dead, nextAt: new Date(this.o.clock.now().getTime() + delay) });
  }

  /** Deliver until nothing is due (tests, the simulator). */
  async drain(maxPasses = 100): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxPasses; i++) {
      const n = await this.runOnce();
      total += n;
      const due = await this.o.outbox.countDue(this.platforms, this.o.clock.now());
      if (due === 0) break;
    }
    return total;
  }

  /** Poll in the background; `kick()` runs a pass at once (after a change that owes messages). */
  start(intervalMs = 500): void {
    this.stopped = false;
    this.closing = false;
    const tick = async () => {
      if (this.stopped) return;
      await this.kick();
      if (!this.stopped) this.timer = setTimeout(tick, intervalMs);
    };
    this.timer = setTimeout(tick, 0);
  }

  async kick(): Promise<void> {
    if (this.running || this.platforms.length === 0) return;
    this.running = this.runOnce().catch((e) => {
      this.o.log?.error({ err: (e as Error).message }, 'outbox pass failed');
      return 0;
    });
    await this.running;
    this.running = null;
  }

  /** Stops polling; a pass under way finishes the message it is sending and gives the rest back. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.closing = true;
    if (this.timer) clearTimeout(this.timer);
    for (const wake of [...this.wakeOnClose]) wake();
    await this.running;
  }
}
