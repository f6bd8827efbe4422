/**
 * Delivers the outbox (see core/outbox/enqueue.ts): at-least-once, by priority, in order per
 * target within a priority, with backoff and jitter, obeying Retry-After, and a dead-letter
 * state after maxAttempts. Rows are claimed with a lease, so several instances never send the
 * same row at once and a killed instance's rows are picked up again when the lease runs out.
 *
 * Lanes: each target (a Telegram chat, a Slack channel) is paced on its own. A lane holds the
 * few rows it will send soon (leased only while it holds them) and waits out its own gap
 * (perTargetGapMs) and its turn in the platform's rate (perSecond, served by priority); meanwhile the worker
 * keeps claiming for the other targets, so one busy or failing channel delays no other, and a
 * message of a higher priority (an urgent alert, a resident's reply) is claimed ahead of a
 * backlog of cards or notices. A 429 with Retry-After pauses its target only; on a platform with
 * a bot-wide rate (Telegram), a 429 to a chat that this worker did not just write to cannot be
 * the chat's own limit, so it pauses the whole platform for retry_after.
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
import { RateGate } from './pacing.js';
import { DeliveryError, type Deliverer, type DeliveryResult } from './types.js';

export interface OutboxWorkerOptions {
  outbox: OutboxStore;
  clock: Clock;
  deliverers: Partial<Record<Platform, Deliverer>>;
  maxAttempts?: number;
  /** the longest wait between two attempts of one message (default 5 minutes) */
  maxBackoffMs?: number;
  /** the most rows this worker holds per platform at once (default 50) */
  batchSize?: number;
  leaseMs?: number;
  /** minimum gap between two messages to one target (Telegram chat, Slack channel), for all platforms or per platform */
  perTargetGapMs?: number | Partial<Record<Platform, number>>;
  /** messages a second on a whole platform (Telegram's bot-wide limit); unset: no such limit */
  perSecond?: Partial<Record<Platform, number>>;
  /**
   * A platform's rate shared with other senders of the process (the bot's own replies go through
   * the same gate, ahead of the outbox): used instead of a gate of its own from perSecond.
   */
  gates?: Partial<Record<Platform, RateGate>>;
  /**
   * how far ahead a paced lane holds rows (default 0: only the row it may send now). A target
   * waiting out its gap holds nothing, so that what is owed to it meanwhile (an urgent alert
   * behind cards) is claimed by priority when the gap has passed.
   */
  laneAheadMs?: number;
  log?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  owner?: string;
}

/** The rows one claim gave one target, sent in order by one loop. */
interface Lane {
  key: string;
  platform: Platform;
  rows: OutboxMessage[];
  done?: Promise<void>;
}

export class OutboxWorker {
  readonly owner: string;
  private timer: NodeJS.Timeout | null = null;
  private pumpTimer: NodeJS.Timeout | null = null;
  private pumpAt = 0;
  private pumping: Promise<Lane[]> | null = null;
  private pumpAgain = false;
  private lastPump = 0;
  private stopped = true;
  /** set by stop(): a lane waiting out a gap gives its remaining rows back instead */
  private closing = false;
  private readonly wakeOnClose = new Set<() => void>();
  /** when each target last took a message (real time: pacing) */
  private readonly lastSent = new Map<string, number>();
  private readonly lanes = new Map<string, Lane>();
  /** targets and platforms told to wait (by a 429), until this instant on the worker's clock */
  private readonly pausedUntil = new Map<string, number>();
  private readonly gates = new Map<Platform, RateGate>();
  private sent = 0;

  constructor(private readonly o: OutboxWorkerOptions) {
    this.owner = o.owner ?? `w-${randomUUID().slice(0, 8)}`;
    for (const [p, rate] of Object.entries(o.perSecond ?? {}) as [Platform, number][]) if (rate > 0) this.gates.set(p, new RateGate(rate));
    for (const [p, gate] of Object.entries(o.gates ?? {}) as [Platform, RateGate][]) this.gates.set(p, gate);
  }

  private get platforms(): Platform[] {
    return (Object.keys(this.o.deliverers) as Platform[]).filter((p) => this.o.deliverers[p]);
  }

  private gapOf(p: Platform): number {
    const g = this.o.perTargetGapMs;
    return (typeof g === 'number' ? g : g?.[p]) ?? 0;
  }

  /** How many rows a lane of this platform takes at once: what it sends within laneAheadMs. */
  private perTarget(p: Platform): number | undefined {
    const gap = this.gapOf(p);
    return gap > 0 ? 1 + Math.floor((this.o.laneAheadMs ?? 0) / gap) : undefined;
  }

  /** Targets still waiting out their gap beyond laneAheadMs: not claimed for now. */
  private cooling(): string[] {
    const now = Date.now();
    const ahead = this.o.laneAheadMs ?? 0;
    const out: string[] = [];
    for (const [key, at] of this.lastSent) if (at + this.gapOf(key.slice(0, key.indexOf(':')) as Platform) - now > ahead) out.push(key);
    return out;
  }

  /** One pass: claim what is due and free, and deliver it. Returns how many messages were sent. */
  async runOnce(): Promise<number> {
    const before = this.sent;
    const lanes = await this.pump();
    const outcomes = await Promise.allSettled(lanes.map((l) => l.done));
    const failed = outcomes.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return this.sent - before;
  }

  /** Claims for the targets that have no lane under way and are not paused, and starts their lanes; one claim at a time. */
  private async pump(): Promise<Lane[]> {
    while (this.pumping) {
      this.pumpAgain = true;
      await this.pumping;
    }
    this.pumpAgain = false;
    this.pumping = this.claimLanes();
    try {
      return await this.pumping;
    } finally {
      this.pumping = null;
      this.lastPump = Date.now();
    }
  }

  private async claimLanes(): Promise<Lane[]> {
    const now = this.o.clock.now();
    const batch = this.o.batchSize ?? 50;
    for (const [k, until] of this.pausedUntil) if (until <= now.getTime()) this.pausedUntil.delete(k);
    const skip = [...this.lanes.keys(), ...this.pausedUntil.keys(), ...this.cooling()];
    const held = new Map<Platform, number>();
    for (const l of this.lanes.values()) held.set(l.platform, (held.get(l.platform) ?? 0) + l.rows.length);
    const claims = this.platforms
      .filter((p) => !this.pausedUntil.has(p) && (held.get(p) ?? 0) < batch)
      .map((p) =>
        this.o.outbox.claim({
          platforms: [p],
          owner: this.owner,
          now,
          leaseUntil: new Date(now.getTime() + (this.o.leaseMs ?? 60_000)),
          take: batch - (held.get(p) ?? 0),
          perTarget: this.perTarget(p),
          skip,
        }),
      );
    const rows = (await Promise.all(claims)).flat();
    if (this.closing) {
      await this.release(rows);
      return [];
    }
    const started: Lane[] = [];
    for (const r of rows) {
      const key = `${r.platform}:${r.target}`;
      let lane = this.lanes.get(key);
      if (!lane) {
        lane = { key, platform: r.platform, rows: [] };
        this.lanes.set(key, lane);
        started.push(lane);
      }
      lane.rows.push(r);
    }
    for (const lane of started) lane.done = this.runLane(lane);
    this.forgetOldGaps();
    return started;
  }

  /** Sends a lane's rows in order, each after its gap and its turn in the platform's rate. */
  private async runLane(lane: Lane): Promise<void> {
    try {
      while (lane.rows.length) {
        if (this.closing || this.paused(lane)) break;
        if (!(await this.turn(lane)) || this.paused(lane)) break;
        const ok = await this.deliverOne(lane, lane.rows[0]);
        lane.rows.shift();
        // a failed row waits for its retry; the rest of its priority must not overtake it
        if (!ok) break;
      }
      // shutting down, paused or failed: what is left stays owed, free for the next claim or another instance
      await this.release(lane.rows.splice(0));
    } catch (e) {
      // writing an outcome failed: the row in hand keeps its lease (its next claim marks it
      // outcome unknown); the ones not yet tried go back untouched
      await this.release(lane.rows.splice(1)).catch(() => undefined);
      lane.rows.length = 0;
      throw e;
    } finally {
      this.lanes.delete(lane.key);
      // claim again when this target's gap has passed (what is owed to it by then goes by priority)
      const last = this.lastSent.get(lane.key);
      const ahead = this.o.laneAheadMs ?? 0;
      if (!this.stopped) this.schedulePump(last === undefined ? 0 : last + this.gapOf(lane.platform) - ahead - Date.now());
    }
  }

  private paused(lane: Lane): boolean {
    const now = this.o.clock.now().getTime();
    return (this.pausedUntil.get(lane.key) ?? 0) > now || (this.pausedUntil.get(lane.platform) ?? 0) > now;
  }

  /** Waits out the lane's gap and its platform's rate; false if the worker is stopping. */
  private async turn(lane: Lane): Promise<boolean> {
    const gap = this.gapOf(lane.platform);
    const last = this.lastSent.get(lane.key);
    if (gap && last !== undefined && !(await this.sleep(last + gap - Date.now()))) return false;
    // the platform's turns go by priority: a resident's reply overtakes notices waiting for theirs
    const gate = this.gates.get(lane.platform);
    const row = lane.rows[0];
    return (!gate || (await gate.turn([row.priority, row.id]))) && !this.closing;
  }

  /** Sleeps `ms` of real time unless the worker stops first; false if it is stopping. */
  private async sleep(ms: number): Promise<boolean> {
    if (ms > 0 && !this.closing) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.wakeOnClose.delete(done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        this.wakeOnClose.add(done);
      });
    }
    return !this.closing;
  }

  private async release(rows: OutboxMessage[]): Promise<void> {
    if (rows.length)
      await this.o.outbox.release(
        rows.map((r) => r.id),
        this.owner,
      );
  }

  /** Pacing memory of targets quiet for longer than any gap is of no more use. */
  private forgetOldGaps(): void {
    if (this.lastSent.size < 10_000) return;
    const gap = Math.max(0, ...this.platforms.map((p) => this.gapOf(p)));
    const before = Date.now() - gap;
    for (const [k, t] of this.lastSent) if (t < before) this.lastSent.delete(k);
  }

  private async deliverOne(lane: Lane, row: OutboxMessage): Promise<boolean> {
    const { outbox, clock } = this.o;
    const inDoubt = isOutcomeUnknown(row);
    let out: DeliveryResult | undefined;
    try {
      out = await this.o.deliverers[row.platform]!.deliver(row, { outcomeUnknown: inDoubt });
    } catch (e) {
      this.pause(lane, e);
      await this.failed(row, e, inDoubt);
      return false;
    }
    this.lastSent.set(lane.key, Date.now());
    // delivered: if writing so fails, the lane fails and the row keeps its lease, so the next claim
    // marks it outcome unknown (it is not a failed delivery to retry blindly)
    await outbox.markSent(row.id, { at: clock.now(), attempts: row.attempts + 1, result: out?.result ? JSON.stringify(out.result) : null });
    this.sent++;
    return true;
  }

  /**
   * A refusal with Retry-After (a 429) slows its target for that long. On a platform with a
   * bot-wide rate, a 429 to a target that had no message within its gap cannot be that target's
   * own limit: it is the bot's, and the whole platform waits.
   */
  private pause(lane: Lane, e: unknown): void {
    const wait = e instanceof DeliveryError ? e.opts.retryAfterMs : undefined;
    if (!wait) return;
    const until = this.o.clock.now().getTime() + wait;
    this.pausedUntil.set(lane.key, until);
    const last = this.lastSent.get(lane.key);
    const gap = this.gapOf(lane.platform);
    if (this.gates.has(lane.platform) && (last === undefined || Date.now() - last >= gap)) {
      this.pausedUntil.set(lane.platform, Math.max(until, this.pausedUntil.get(lane.platform) ?? 0));
      this.o.log?.warn({ platform: lane.platform, retryAfterMs: wait }, 'platform rate limit reached: all its messages wait');
    }
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
      // what is left may be for targets waiting out their gap: the next pass after the first of them
      if (!(await this.sleep(this.firstCoolingEnds()))) break;
    }
    return total;
  }

  /** ms until the first target waiting out its gap may be claimed again (0: none waits). */
  private firstCoolingEnds(): number {
    const now = Date.now();
    const ahead = this.o.laneAheadMs ?? 0;
    let first = Infinity;
    for (const [key, at] of this.lastSent) {
      const wait = at + this.gapOf(key.slice(0, key.indexOf(':')) as Platform) - ahead - now;
      if (wait > 0) first = Math.min(first, wait);
    }
    return first === Infinity ? 0 : first;
  }

  /** Poll in the background; `kick()` claims at once (after a change that owes messages). */
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

  /** Claims what is due for the free targets and starts their lanes (it does not wait for them to finish). */
  async kick(): Promise<void> {
    if (this.platforms.length === 0 || this.closing) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    try {
      const lanes = await this.pump();
      for (const l of lanes) l.done?.catch((e) => this.o.log?.error({ err: (e as Error).message }, 'outbox pass failed'));
    } catch (e) {
      this.o.log?.error({ err: (e as Error).message }, 'outbox pass failed');
    }
    if (this.pumpAgain && !this.stopped) this.schedulePump();
  }

  /**
   * Claim again in `delayMs` (a lane came free, or its target's gap ends then); at most every
   * 100 ms, so that many lanes ending together make one claim.
   */
  private schedulePump(delayMs = 0): void {
    if (this.stopped) return;
    const at = Math.max(Date.now() + delayMs, this.lastPump + 100);
    if (this.pumpTimer && this.pumpAt <= at) return;
    if (this.pumpTimer) clearTimeout(this.pumpTimer);
    this.pumpAt = at;
    this.pumpTimer = setTimeout(() => {
      this.pumpTimer = null;
      void this.kick();
    }, at - Date.now());
  }

  /** Stops polling; each lane finishes the message it is sending and gives the rest back. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.closing = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.pumpTimer) clearTimeout(this.pumpTimer);
    this.pumpTimer = null;
    for (const wake of [...this.wakeOnClose]) wake();
    for (const gate of this.gates.values()) gate.close();
    await this.pumping?.catch(() => undefined);
    await Promise.allSettled([...this.lanes.values()].map((l) => l.done));
  }
}
