/**
 * The fault drills' common ground: the simulator's world (fake Telegram and Slack on 127.0.0.1,
 * the real service as a child process on its own database), a few residents and the branch staff
 * through the whole loop, something going wrong on the way, then the ledger. Short by default
 * (npm test); FAULTS_LONG=1 (npm run test:faults) plays more residents through longer faults.
 */
import { expect } from 'vitest';
import { audit, consistencyProblems, type Ledger } from '../../tools/sim/audit.js';
import { play, type PlayOptions, type PlayResult } from '../../tools/sim/play.js';
import { startWorld, type World, type WorldOptions } from '../../tools/sim/world.js';
import { freshDatabaseUrl, usingPostgres } from '../helpers/core.js';

export const LONG = process.env.FAULTS_LONG === '1';

/** Scale for the long version. */
export const pick = <T>(short: T, long: T): T => (LONG ? long : short);

export interface Drill {
  world: World;
  result: PlayResult;
  ledger: Ledger;
  /** half-stored steps (a status without its event, a step without its card update) */
  halfStored: string[];
}

export interface DrillOptions {
  world?: WorldOptions;
  play?: Partial<PlayOptions>;
  /** the fault, running alongside the play (timers, a lock held, a connection cut) */
  during?: (world: World) => Promise<void>;
  /** what to look at before the world is closed */
  inspect?: (world: World) => Promise<void>;
}

export async function runDrill(o: DrillOptions = {}): Promise<Drill> {
  // the service on PostgreSQL too when the suite runs there (a fresh schema per drill)
  const fresh = !o.world?.databaseUrl && usingPostgres ? freshDatabaseUrl() : undefined;
  // quick retries: the faults here are seconds long, not the minutes production backs off for
  const world = await startWorld({ outboxMaxBackoffMs: 500, outboxMaxAttempts: 60, ...(fresh ? { databaseUrl: fresh.url } : {}), ...o.world }).catch(
    async (e) => {
      await fresh?.drop();
      throw e;
    },
  );
  try {
    const options: PlayOptions = {
      residents: pick(5, 25),
      durationS: pick(2, 10),
      leakShare: 0.2,
      // a reopened ticket doubles its loop: in the long version only
      unhappyShare: pick(0, 0.2),
      concurrency: 10,
      seed: 7,
      drainTimeoutS: pick(75, 300),
      spreadBranches: true,
      ...o.play,
    };
    const [result] = await Promise.all([play(world, options), o.during?.(world)]);
    world.setFaults({ slack: 0, telegram: 0 });
    const ledger = await audit(
      world.db,
      world.org,
      world.tg.fake,
      world.slack.fake,
      result.residents.filter((r) => r.filed).map((r) => r.plan.user.id),
    );
    const halfStored = await consistencyProblems(world.db, world.org);
    await o.inspect?.(world);
    return { world, result, ledger, halfStored };
  } finally {
    await world.close();
    await fresh?.drop();
  }
}

/** After every drill: every ticket reached its channel exactly once, every resident heard every step once, nothing is stuck. */
export function expectWholeLoop(d: Drill): void {
  expect(d.result.errors).toEqual([]);
  expect(d.result.residents.filter((r) => !r.filed).map((r) => `${r.plan.user.first_name}: ${r.gaveUp}`)).toEqual([]);
  expect(d.ledger.problems).toEqual([]);
  expect({ lost: d.ledger.lost, duplicated: d.ledger.duplicated }).toEqual({ lost: 0, duplicated: 0 });
  // every ticket closed: nobody owes anyone a next step
  expect(d.ledger.notClosed).toEqual([]);
  expect(d.ledger.tickets).toBeGreaterThanOrEqual(d.result.residents.length);
  expect(d.halfStored).toEqual([]);
  expect(d.result.timedOut).toBe(false);
  // a request may be answered "try again" (503 with a code) while the database is away; never 500
  expect(d.world.latency.refusals.filter((r) => r.status !== 503).map((r) => `${r.status} ${r.body}`)).toEqual([]);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
