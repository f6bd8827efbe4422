/**
 * The service SIGKILLed while 40 residents report a leak at once, and started again over the
 * same database; Telegram delivers again every update that did not get its 200. Whatever the
 * moment of the kill, each report is filed exactly once and each resident hears its number
 * exactly once: an update's receipt is stored with its work, never before it.
 */
import { describe, expect, it } from 'vitest';
import { castResidents } from '../../tools/sim/play.js';
import { seeded } from '../../tools/sim/random.js';
import { SimResident } from '../../tools/sim/resident.js';
import { startWorld, type World } from '../../tools/sim/world.js';
import { freshDatabaseUrl, usingPostgres } from '../helpers/core.js';
import { sleep } from './drill.js';

const RESIDENTS = 40;
const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 3);
const TICKET = /[TSQP]\d{8}-\d{4,}/g;

/** The ticket numbers the bot told a chat, once per message that carried one. */
function numbersTold(world: World, chatId: number): string[] {
  return world.tg.fake.calls
    .filter((c) => c.status === 200 && c.method === 'sendMessage' && Number(c.params.chat_id) === chatId)
    .flatMap((c) => [...new Set(String(c.params.text ?? '').match(TICKET) ?? [])]);
}

describe('the service killed while residents report', () => {
  it(`files each of ${RESIDENTS} concurrent leak reports once and answers each once, over ${ROUNDS} kills at random moments`, {
    // a service start takes a few seconds, more on a busy machine
    timeout: 60_000 + ROUNDS * 60_000,
  }, async () => {
    const fresh = usingPostgres ? freshDatabaseUrl() : undefined;
    const world = await startWorld({ outboxMaxBackoffMs: 500, ...(fresh ? { databaseUrl: fresh.url } : {}) });
    const random = seeded(Number(process.env.CRASH_SEED ?? 14));
    // every round its own residents (the flood limit allows three reports a minute each)
    const cast = castResidents({ residents: RESIDENTS * ROUNDS, leakShare: 1, unhappyShare: 0, seed: 3, spreadBranches: true });
    const report: { round: number; killAfterMs: number; lost: string[]; doubled: string[]; unanswered: string[]; answeredTwice: string[] }[] = [];
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const plans = cast.slice(round * RESIDENTS, (round + 1) * RESIDENTS);
        const t0 = Date.now();
        const bound = await Promise.all(plans.map((p) => new SimResident(p, world.tg, () => false).bind()));
        expect(bound.every(Boolean)).toBe(true);

        const t1 = Date.now();
        const killAfterMs = random.int(401);
        const reports = Promise.all(plans.map((p) => world.tg.say(p.user, p.sentence)));
        await sleep(killAfterMs);
        await world.service.kill();
        const t2 = Date.now();
        await world.service.start();
        const t3 = Date.now();
        const delivered = await reports;
        const t4 = Date.now();
        expect(delivered.every((d) => d.delivered)).toBe(true);
        // what a refused reply owes goes by the outbox: give it its moment
        await world.probe.waitOutboxIdle(15_000);

        const lost: string[] = [];
        const doubled: string[] = [];
        const unanswered: string[] = [];
        const answeredTwice: string[] = [];
        for (const p of plans) {
          const tickets = await world.db.ticket.findMany({ where: { resident: { telegramUserId: String(p.user.id) } }, select: { number: true } });
          if (tickets.length === 0) lost.push(p.user.first_name);
          if (tickets.length > 1) doubled.push(p.user.first_name);
          const told = numbersTold(world, p.user.id).filter((n) => tickets.some((t) => t.number === n));
          if (told.length === 0) unanswered.push(p.user.first_name);
          if (told.length > 1) answeredTwice.push(p.user.first_name);
        }
        report.push({ round, killAfterMs, lost, doubled, unanswered, answeredTwice });
        const counts = { lost: lost.length, doubled: doubled.length, unanswered: unanswered.length, answeredTwice: answeredTwice.length };
        console.info(
          `crash drill round ${round}: kill after ${killAfterMs} ms: ${JSON.stringify(counts)}; bind ${t1 - t0} ms, kill ${t2 - t1}, start ${t3 - t2}, redelivered ${t4 - t3}`,
        );
      }
      expect(world.service.crashes).toEqual([]);
      expect(world.service.starts).toBe(ROUNDS + 1);
      expect(report.map(({ round, lost, doubled, unanswered, answeredTwice }) => ({ round, lost, doubled, unanswered, answeredTwice }))).toEqual(
        report.map(({ round }) => ({ round, lost: [], doubled: [], unanswered: [], answeredTwice: [] })),
      );
      expect(await world.db.ticket.count()).toBe(RESIDENTS * ROUNDS);
      // the kills did land while updates were in flight: some were delivered again
      expect(world.tg.redeliveries).toBeGreaterThan(0);
    } finally {
      console.info(`crash drill: ${report.length} rounds, ${world.tg.redeliveries} redeliveries`);
      await world.close();
      await fresh?.drop();
    }
  });
});
