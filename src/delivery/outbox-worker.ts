/**
 * Delivers the outbox (see core/outbox/enqueue.ts): at-least-once, in order per target,
 * with backoff and jitter, obeying Retry-After, and a dead-letter state after maxAttempts.
 * Rows are claimed with a lease, so several instances never send the same row at once and a
 * killed instance's rows are picked up again when the lease runs out.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { Db } from '../db/client.js';
import type { OutboxMessage } from '../db/generated/sqlite/client.js';
import { DeliveryError, type Deliverer } from './types.js';
import { sqliteDirect } from '../db/sqlite-direct.js';
import { toDate } from '../db/sql.js';

export interface OutboxWorkerOptions {
  db: Db;
  clock: Clock;
  deliverers: Partial<Record<'telegram' | 'slack', Deliverer>>;
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

  private get platforms(): string[] {
    return Object.keys(this.o.deliverers);
  }

  /** Claims due rows with a lease; returns those this worker now owns. */
  private async claim(now: Date): Promise<OutboxMessage[]> {
    const { db } = this.o;
    // The oldest due rows of each platform this worker delivers, through (state, platform, id):
    // a cold snap's backlog for a rate-limited platform is not read (nor sorted) at every pass.
    const take = this.o.batchSize ?? 50;
    const candidates = (await Promise.all(this.platforms.map((platform) => this.oldestDue(platform, now, take))))
      .flat()
      .sort((a, b) => a.id - b.id)
      .slice(0, take);
    const leaseUntil = new Date(now.getTime() + (this.o.leaseMs ?? 60_000));
    // Order per target: a row waiting for its retry holds back every later row to the same target.
    const waiting = candidates.length
      ? await db.outboxMessage.groupBy({
          by: ['platform', 'target'],
          where: { state: 'pending', nextAt: { gt: now }, target: { in: [...new Set(candidates.map((c) => c.target))] } },
          _min: { id: true },
        })
      : [];
    const firstWaiting = new Map(waiting.map((w) => [`${w.platform}:${w.target}`, w._min.id ?? Infinity]));
    const mine: OutboxMessage[] = [];
    const blocked = new Set<string>();
    for (const row of candidates) {
      const target = `${row.platform}:${row.target}`;
      if (blocked.has(target) || row.id > (firstWaiting.get(target) ?? Infinity)) continue; // keep order per target
      if (row.leaseUntil && row.leaseUntil > now && row.leaseOwner !== this.owner) {
        blocked.add(target);
        continue;
      }
      const res = await db.outboxMessage.updateMany({
        where: { id: row.id, state: 'pending', OR: [{ leaseUntil: null }, { leaseUntil: { lte: now } }, { leaseOwner: this.owner }] },
        data: { leaseOwner: this.owner, leaseUntil },
      });
      if (res.count === 1) mine.push(row);
      else blocked.add(target);
    }
    return mine;
  }

  private async oldestDue(platform: string, now: Date, take: number): Promise<OutboxMessage[]> {
    const direct = sqliteDirect(this.o.db);
    if (!direct) return this.o.db.outboxMessage.findMany({ where: { state: 'pending', platform, nextAt: { lte: now } }, orderBy: { id: 'asc' }, take });
    // SQLite's planner, without statistics, would take (state, nextAt) and sort every due row
    await direct.whenFree();
    const rows = direct
      .stmt(`SELECT * FROM "OutboxMessage" INDEXED BY "OutboxMessage_state_platform_id_idx" WHERE "state" = 'pending' AND "platform" = ? AND "nextAt" <= ? ORDER BY "id" LIMIT ?`)
      .all(platform, now.getTime(), take) as Record<string, unknown>[];
    return rows.map((r) => ({
      ...(r as unknown as OutboxMessage),
      nextAt: toDate(r.nextAt)!,
      leaseUntil: toDate(r.leaseUntil),
      createdAt: toDate(r.createdAt)!,
      sentAt: toDate(r.sentAt),
    }));
  }

  /** One pass: deliver what is due. Returns how many messages were sent. */
  async runOnce(): Promise<number> {
    const now = this.o.clock.now();
    const rows = await this.claim(now);
    const byTarget = new Map<string, OutboxMessage[]>();
    for (const r of rows) {
      const k = `${r.platform}:${r.target}`;
      byTarget.set(k, [...(byTarget.get(k) ?? []), r]);
    }
    let sent = 0;
    await Promise.all(
      [...byTarget.entries()].map(async ([target, list]) => {
        const release = (rows: OutboxMessage[]) =>
          this.o.db.outboxMessage.updateMany({ where: { id: { in: rows.map((r) => r.id) }, leaseOwner: this.owner }, data: { leaseOwner: null, leaseUntil: null } });
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
    const { db, clock } = this.o;
    try {
      const out = await this.o.deliverers[row.platform as 'telegram' | 'slack']!.deliver(row);
      this.lastSent.set(target, Date.now());
      await db.outboxMessage.update({
        where: { id: row.id },
        data: { state: 'sent', sentAt: clock.now(), attempts: row.attempts + 1, leaseOwner: null, leaseUntil: null, lastError: null, result: out?.result ? JSON.stringify(out.result) : null },
      });
      return true;
    } catch (e) {
      const attempts = row.attempts + 1;
      const de = e instanceof DeliveryError ? e : null;
      // 20 attempts with backoff capped at 5 minutes ride out about an hour of platform outage
      const dead = de?.opts.permanent || attempts >= (this.o.maxAttempts ?? 20);
      const backoff = Math.min(2 ** attempts * 1000, this.o.maxBackoffMs ?? 5 * 60_000) * (0.75 + Math.random() * 0.5);
      const delay = Math.max(de?.opts.retryAfterMs ?? 0, backoff);
      const message = (e as Error).message.slice(0, 500);
      (dead ? this.o.log?.error : this.o.log?.warn)?.call(this.o.log, { outboxId: row.id, kind: row.kind, attempts, error: message }, dead ? 'outbox message dead' : 'outbox delivery failed, will retry');
      await db.outboxMessage.update({
        where: { id: row.id },
        data: { attempts, lastError: message, state: dead ? 'dead' : 'pending', nextAt: new Date(clock.now().getTime() + delay), leaseOwner: null, leaseUntil: null },
      });
      return false;
    }
  }

  /** Deliver until nothing is due (tests, the simulator). */
  async drain(maxPasses = 100): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxPasses; i++) {
      const n = await this.runOnce();
      total += n;
      const due = await this.o.db.outboxMessage.count({ where: { state: 'pending', nextAt: { lte: this.o.clock.now() }, platform: { in: this.platforms } } });
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
