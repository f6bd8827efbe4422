/**
 * Notices to 10,000 residents (issue 16): 10,000 incident_notice rows to 10,000 chats through the
 * outbox worker as main.ts builds it (28 messages a second in all, one a second per chat) and the
 * fake Telegram Bot API with its rate limits on (bench/outbox-world.ts): messages a second
 * achieved, the busiest second the fake saw, 429s, and the delay of a resident_update owed
 * half-way (a resident's reply goes ahead of the notices still queued).
 *
 *   npx tsx bench/notices.ts [--quick]    (--quick: 1,000 notices, the same limit)
 */
import { item, outboxWorld, TELEGRAM_PER_SECOND, until } from './outbox-world.js';

export interface NoticesBenchResult {
  notices: number;
  perSecondLimit: number;
  tookS: number;
  perS: number;
  /** the busiest second seen at the fake */
  busiestSecond: number;
  /** a resident_update owed half-way: owed to sent */
  residentMs: number;
  /** notices sent between the resident's update being owed and it being sent */
  noticesAhead: number;
  refused429: number;
}

export async function noticesBench(opts: { notices: number }): Promise<NoticesBenchResult> {
  const w = await outboxWorld();
  try {
    await w.owe(Array.from({ length: opts.notices }, (_, i) => item(`notice:${i}`, 'telegram', String(10_000_000 + i), 'incident_notice')));
    const sent = () => w.tg.calls.filter((c) => c.method === 'sendMessage' && c.status === 200);
    const t0 = Date.now();
    w.worker.start();
    await until(() => sent().length >= opts.notices / 2, opts.notices * 100);
    const owedAt = Date.now();
    const before = sent().length;
    await w.owe([item('update:resident', 'telegram', '20000001', 'resident_update')]);
    void w.worker.kick();
    await until(() => sent().some((c) => c.params.text === 'update:resident'), 30_000);
    const residentMs = Date.now() - owedAt;
    const noticesAhead = sent().findIndex((c) => c.params.text === 'update:resident') - before;
    await until(() => sent().length === opts.notices + 1, opts.notices * 100);
    const tookS = (Date.now() - t0) / 1000;
    const at = sent().map((c) => c.at);
    let busiest = 0;
    for (let i = 0, j = 0; i < at.length; i++) {
      while (at[i] - at[j] >= 1000) j++;
      busiest = Math.max(busiest, i - j + 1);
    }
    return {
      notices: opts.notices,
      perSecondLimit: TELEGRAM_PER_SECOND,
      tookS,
      perS: (opts.notices + 1) / tookS,
      busiestSecond: busiest,
      residentMs,
      noticesAhead,
      refused429: w.tg.rateLimited,
    };
  } finally {
    await w.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await noticesBench({ notices: process.argv.includes('--quick') ? 1000 : 10_000 });
  console.log(
    `notices: ${r.notices} in ${r.tookS.toFixed(1)} s = ${r.perS.toFixed(1)}/s (limit ${r.perSecondLimit}/s, busiest second ${r.busiestSecond}); resident update ${r.residentMs} ms after owed, ${r.noticesAhead} notices ahead; 429s ${r.refused429}`,
  );
}
