/**
 * Deadline sweep benchmark (issue 9, item 3): N tickets with stored alerts of which D are due;
 * time to fire every due alert. Run at 100,000 and at 1,000,000 tickets with the same D, to show
 * that the cost follows the due rows, not the table. Prints medians; writes nothing to the repo.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../src/core/clock.js';
import { fireDueAlerts } from '../src/core/deadlines/fire-due-alerts.js';
import { loadOrgFile } from '../src/core/org/load-org.js';
import { Org } from '../src/core/org/org.js';
import { DEMO_ORG } from '../src/config.js';
import { openDb, parseDatabaseUrl } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { openStores } from '../src/db/stores/index.js';
import { seedTickets } from './seed-tickets.js';
import { Checkpointer } from '../src/db/checkpointer.js';
import { runnerOf, type SqliteRunner } from '../src/db/runner.js';

const NOW = new Date('2026-12-15T02:00:00Z');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export interface SweepResult {
  tickets: number;
  due: number;
  /** firing every due alert: claim, mark fired, and write its messages, log events and next levels */
  medianMs: number;
  runsMs: number[];
  /** one sweep pass when nothing is due: what the periodic wake-up costs */
  idleMs: number;
}

export async function sweepBench(tickets: number, due: number, runs = 7): Promise<SweepResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-sweep-'));
  const file = join(dir, 'sweep.db');
  try {
    const target = parseDatabaseUrl(`file:${file}`);
    await migrate(target);
    const org = new Org(loadOrgFile(DEMO_ORG));
    seedTickets(file, { count: tickets, from: new Date(NOW.getTime() - 30 * 86_400_000), to: NOW, branches: [...org.branches.keys()] });
    const raw = new Database(file);
    // every ticket has a future alert; `due` of them (open, not accepted) have one due now
    raw.exec(`INSERT INTO "ScheduledAlert" ("key","ticketId","kind","dueAt","data")
      SELECT 'ticket:' || id || ':resolve_warn:0', id, 'resolve_warn', ${NOW.getTime() + 86_400_000}, NULL FROM "Ticket"`);
    // Due now are the alerts of recent tickets: the limits run an hour or a day from intake, and a
    // month-old ticket is long closed. (The oldest ids instead spread the new alerts' text keys,
    // ticket:1:..., ticket:10:..., over the whole key index: 318 ms at 1,000,000, 2026-11-28.)
    const first = tickets - due + 1;
    raw.exec(`UPDATE "Ticket" SET "status"='dispatched', "acceptedAt"=NULL, "resolvedAt"=NULL WHERE id >= ${first} AND id < ${first + due}`);
    // their acceptance deadlines are running: the sweep reads whether a deadline still runs from its row
    raw.exec(`INSERT INTO "Deadline" ("ticketId","name","generation","startedAt","dueAt")
      SELECT id, 'ack', 0, ${NOW.getTime() - 3_600_000}, ${NOW.getTime() - 60_000} FROM "Ticket" WHERE id >= ${first} AND id < ${first + due}`);
    const dueInsert = raw.prepare(`INSERT INTO "ScheduledAlert" ("key","ticketId","kind","dueAt","data") VALUES (?,?,?,?,?)`);
    const runsMs: number[] = [];
    const db = await openDb(target);
    // as in the service (main.ts): WAL checkpoints on a worker thread, not inside the sweep's commit
    const checkpointer = Checkpointer.start(runnerOf(db) as SqliteRunner);
    for (let run = 0; run < runs; run++) {
      raw.transaction(() => {
        for (let id = first; id < first + due; id++)
          dueInsert.run(`ticket:${id}:ack_overdue:${run}`, id, 'ack_overdue', NOW.getTime() - 60_000, JSON.stringify({ deadline: 'ack', dueAt: NOW }));
      })();
      const core = { stores: openStores(db), org, clock: new ManualClock(NOW) };
      const t0 = performance.now();
      let fired = 0;
      for (;;) {
        const r = await fireDueAlerts(core, 'bench');
        fired += r.fired;
        if (r.fired === 0) break;
      }
      runsMs.push(performance.now() - t0);
      if (fired !== due) throw new Error(`fired ${fired}, expected ${due}`);
      raw.exec(
        `DELETE FROM "OutboxMessage"; DELETE FROM "TicketEvent"; DELETE FROM "ScheduledAlert" WHERE "kind" <> 'resolve_warn'; UPDATE "Ticket" SET "overdueAt" = NULL; UPDATE "Deadline" SET "missedAt" = NULL`,
      );
    }
    const idle: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await fireDueAlerts({ stores: openStores(db), org, clock: new ManualClock(NOW) }, 'bench');
      idle.push(performance.now() - t0);
    }
    await checkpointer.stop();
    await db.$disconnect();
    raw.close();
    return { tickets, due, medianMs: median(runsMs), runsMs, idleMs: median(idle) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const due = Number(process.env.DUE ?? 10_000);
  for (const n of (process.env.TICKETS ?? '100000,1000000').split(',').map(Number)) {
    const r = await sweepBench(n, due);
    console.log(
      `sweep: ${r.tickets.toLocaleString()} tickets, ${r.due.toLocaleString()} due: fire all median ${r.medianMs.toFixed(0)} ms (runs ${r.runsMs.map((x) => x.toFixed(0)).join(', ')}); idle pass ${r.idleMs.toFixed(1)} ms`,
    );
  }
}
