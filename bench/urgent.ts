/**
 * The urgent alert behind a queue (issue 16): 300 ticket_card rows owed to one Slack channel (and
 * 20 to four others), then, while the cards flow, one urgent_alert to the same channel: the time
 * from owed to posted (target < 2 s), and how long the cards took at one a second. Through the
 * outbox worker as main.ts builds it and the fake Slack Web API with its rate limits on
 * (bench/outbox-world.ts).
 *
 *   npx tsx bench/urgent.ts [--quick]     (--quick: 60 cards)
 */
import { item, outboxWorld, until } from './outbox-world.js';

export interface UrgentBenchResult {
  cards: number;
  /** owed (and the worker kicked, as a change that owes messages does) to posted on the fake */
  alertMs: number;
  /** cards posted to the busy channel before the alert, and the one in hand when it was owed */
  cardsBeforeAlert: number;
  /** the other channels' cards: the last one posted, from the start */
  otherChannelsMs: number;
  /** all cards of the busy channel posted, from the start */
  cardsTookS: number;
  refused429: number;
}

export async function urgentBench(opts: { cards: number }): Promise<UrgentBenchResult> {
  const w = await outboxWorld();
  try {
    const busy = 'C1XINCHED';
    await w.owe(Array.from({ length: opts.cards }, (_, i) => item(`card:${i}`, 'slack', busy, 'ticket_card')));
    const others = Array.from({ length: 20 }, (_, i) => item(`other:${i}`, 'slack', `C-OTHER-${i % 4}`, 'ticket_card'));
    await w.owe(others);
    const posted = (ch: string) => w.slack.channelMessages(ch).map((m) => m.text ?? '');
    const t0 = Date.now();
    w.worker.start();
    // the cards flow for a few seconds, then a leak is reported
    await until(() => posted(busy).length >= 3, 30_000);
    const owedAt = Date.now();
    await w.owe([item('urgent:leak', 'slack', busy, 'urgent_alert')]);
    void w.worker.kick();
    await until(() => posted(busy).includes('urgent:leak'), 30_000);
    const alertMs = Date.now() - owedAt;
    const cardsBeforeAlert = posted(busy).indexOf('urgent:leak');
    await until(() => (['0', '1', '2', '3'] as const).every((i) => posted(`C-OTHER-${i}`).length === 5), 60_000);
    const otherChannelsMs = Date.now() - t0;
    await until(() => posted(busy).length === opts.cards + 1, opts.cards * 1500 + 30_000);
    return { cards: opts.cards, alertMs, cardsBeforeAlert, otherChannelsMs, cardsTookS: (Date.now() - t0) / 1000, refused429: w.slack.rateLimited };
  } finally {
    await w.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await urgentBench({ cards: process.argv.includes('--quick') ? 60 : 300 });
  console.log(
    `urgent: alert behind ${r.cards} cards posted ${r.alertMs} ms after it was owed (${r.cardsBeforeAlert} cards before it); other channels done at ${r.otherChannelsMs} ms; cards took ${r.cardsTookS.toFixed(0)} s; 429s ${r.refused429}`,
  );
}
