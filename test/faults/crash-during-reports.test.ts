/**
 * The service SIGKILLed while 40 residents report a leak at once, and started again over the
 * same database; Telegram delivers again every update that did not get its 200. Whatever the
 * moment of the kill, each report is filed exactly once and each resident hears its number (at
 * least once): an update's receipt is stored with its work, never before it.
 */
import { describe, expect, it } from 'vitest';
import { castResidents } from '../../tools/sim/play.js';
import { seeded } from '../../tools/sim/random.js';
import { SimResident } from '../../tools/sim/resident.js';
import { until } from '../../tools/sim/wait.js';
import { startWorld, type World } from '../../tools/sim/world.js';
import { FILED_REPLY_GRACE_MS } from '../../src/core/residents/file-resident-report.js';
import { freshDatabaseUrl, usingPostgres } from '../helpers/core.js';

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
  it(`files each of ${RESIDENTS} concurrent leak reports once and answers each, over ${ROUNDS} kills at random points`, {
    // a service start takes a few seconds, more on a busy machine
    timeout: 60_000 + ROUNDS * (180_000 + FILED_REPLY_GRACE_MS),
  }, async () => {
    const fresh = usingPostgres ? freshDatabaseUrl() : undefined;
    const world = await startWorld({ outboxMaxBackoffMs: 500, ...(fresh ? { databaseUrl: fresh.url } : {}) });
    const random = seeded(Number(process.env.CRASH_SEED ?? 14));
    // every round its own residents (the flood limit allows three reports a minute each)
    const cast = castResidents({ residents: RESIDENTS * ROUNDS, leakShare: 1, unhappyShare: 0, seed: 3, spreadBranches: true });
    const report: { round: number; killAfterReplies: number; lost: string[]; doubled: string[]; unanswered: string[]; answeredTwice: string[] }[] = [];
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const plans = cast.slice(round * RESIDENTS, (round + 1) * RESIDENTS);
        const t0 = Date.now();
        const bound = await Promise.all(plans.map((p) => new SimResident(p, world.tg, () => false).bind()));
        expect(bound.every(Boolean)).toBe(true);

        const t1 = Date.now();
        // the kill lands at a random point of the work, whatever the machine's speed: after 0 to
        // 30 of the 40 residents were answered (0: as the reports arrive)
        const killAfterReplies = random.int(31);
        const chats = new Set(plans.map((p) => p.user.id));
        const replies = () => world.tg.fake.calls.filter((c) => c.method === 'sendMessage' && chats.has(Number(c.params.chat_id))).length;
        const before = replies();
        const reports = Promise.all(plans.map((p) => world.tg.say(p.user, p.sentence)));
        await until(() => replies() - before >= killAfterReplies || undefined, { timeoutMs: 10_000, everyMs: 1 });
        await world.service.kill();
        const t2 = Date.now();
        await world.service.start();
        const t3 = Date.now();
        const delivered = await reports;
        const t4 = Date.now();
        expect(delivered.every((d) => d.delivered)).toBe(true);
        // a number the bot could not say itself (refused, or the process stopped right after the
        // ticket) is owed by the outbox, held back FILED_REPLY_GRACE_MS: give it its moment
        await until(async () => (await world.db.outboxMessage.count({ where: { kind: 'ticket_filed', state: 'pending' } })) === 0 || undefined, {
          // the outbox has no priority yet: a number owed waits behind the round's Slack cards and alerts, paced per channel
          timeoutMs: FILED_REPLY_GRACE_MS + 120_000,
          everyMs: 200,
        });
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
        report.push({ round, killAfterReplies, lost, doubled, unanswered, answeredTwice });
        const counts = { lost: lost.length, doubled: doubled.length, unanswered: unanswered.length, answeredTwice: answeredTwice.length };
        console.info(
          `crash drill round ${round}: kill after ${killAfterReplies} answers: ${JSON.stringify(counts)}; bind ${t1 - t0} ms, kill ${t2 - t1}, start ${t3 - t2}, redelivered ${t4 - t3}`,
        );
      }
      expect(world.service.crashes).toEqual([]);
      expect(world.service.starts).toBe(ROUNDS + 1);
      // A report is filed exactly once and its resident always hears the number. Hearing it twice
      // stays possible: Telegram has no idempotent send and no way to read a chat back, so a kill
      // between the bot's reply and the commit that says it went out leaves the number owed, and
      // the outbox says it again (R3 wants the number heard; twice beats never). The count is
      // printed above; this drill kills right after answers on purpose, the worst case.
      expect(report.map(({ round, lost, doubled, unanswered }) => ({ round, lost, doubled, unanswered }))).toEqual(
        report.map(({ round }) => ({ round, lost: [], doubled: [], unanswered: [] })),
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
