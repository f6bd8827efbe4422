/**
 * Wakes the service when stored alerts fall due. The alerts live in the database
 * (core/deadlines); node-schedule only decides when to look: at the next due time and on a
 * periodic sweep, so nothing depends on a timer surviving a restart.
 */
import { randomUUID } from 'node:crypto';
import schedule from 'node-schedule';
import type { Core } from '../core/context.js';
import { fireDueAlerts, nextAlertDue } from '../core/deadlines/fire-due-alerts.js';
import { ensureReportsScheduled } from '../core/reports/schedule-reports.js';
import { pruneOldRows } from '../core/housekeeping/prune-old-rows.js';
import { proposeIncidents } from '../core/incidents/propose-incidents.js';
import { companyTimeZone } from '../core/local-time.js';

export interface DeadlineSchedulerOptions {
  core: Pick<Core, 'stores' | 'org' | 'clock'>;
  /** the periodic sweep, in seconds (default 30) */
  sweepSeconds?: number;
  onFired?: (n: number) => void;
  log?: { error(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

export class DeadlineScheduler {
  readonly owner = `s-${randomUUID().slice(0, 8)}`;
  private periodic: schedule.Job | null = null;
  private wake: schedule.Job | null = null;
  private housekeeping: schedule.Job | null = null;
  private proposals: schedule.Job | null = null;
  private proposing: Promise<void> | null = null;
  private sweeping: Promise<void> | null = null;

  constructor(private readonly o: DeadlineSchedulerOptions) {}

  async start(): Promise<void> {
    await ensureReportsScheduled(this.o.core);
    const every = this.o.sweepSeconds ?? 30;
    this.periodic = schedule.scheduleJob(`*/${every} * * * * *`, () => void this.sweep());
    // at night, company time: old receipts and delivered messages go (core/housekeeping)
    this.housekeeping = schedule.scheduleJob({ rule: '30 3 * * *', tz: companyTimeZone() }, () => void this.prune());
    // many no-heat reports from one community or station: ask the centre whether to declare an incident
    this.proposals = schedule.scheduleJob('15 * * * * *', () => void this.propose());
    await this.sweep();
  }

  /** Fire everything due, then set a wake-up for the next due alert. */
  sweep(): Promise<void> {
    if (this.sweeping) return this.sweeping;
    this.sweeping = (async () => {
      try {
        for (;;) {
          const { fired } = await fireDueAlerts(this.o.core, this.owner);
          if (fired) this.o.onFired?.(fired);
          if (fired < 500) break;
          // a batch is a few ms of synchronous work on SQLite: let waiting requests in between
          await new Promise((r) => setImmediate(r));
        }
        const next = await nextAlertDue(this.o.core);
        this.wake?.cancel();
        this.wake = next && next.getTime() > Date.now() ? schedule.scheduleJob(next, () => void this.sweep()) : null;
      } catch (e) {
        this.o.log?.error({ err: (e as Error).message }, 'deadline sweep failed');
      } finally {
        this.sweeping = null;
      }
    })();
    return this.sweeping;
  }

  /** Incident proposals owed for the last window's reports (core/incidents/propose-incidents.ts). */
  propose(): Promise<void> {
    this.proposing ??= (async () => {
      try {
        const { proposed } = await proposeIncidents(this.o.core);
        if (proposed.length) this.o.onFired?.(proposed.length);
      } catch (e) {
        this.o.log?.error({ err: (e as Error).message }, 'incident proposal sweep failed');
      } finally {
        this.proposing = null;
      }
    })();
    return this.proposing;
  }

  async prune(): Promise<void> {
    try {
      const out = await pruneOldRows(this.o.core);
      this.o.log?.info(out, 'old receipts, delivered messages, sessions and conversations pruned');
    } catch (e) {
      this.o.log?.error({ err: (e as Error).message }, 'pruning old rows failed');
    }
  }

  async stop(): Promise<void> {
    this.housekeeping?.cancel();
    this.proposals?.cancel();
    this.periodic?.cancel();
    this.wake?.cancel();
    await this.sweeping;
    await this.proposing;
  }
}
