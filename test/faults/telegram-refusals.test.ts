/**
 * A report survives Telegram refusing the small things around it (found by the simulator with
 * 30 % of Bot API calls failing): the ticket is filed in the same transaction as the "this tap
 * was handled" receipt, so a refused toast or button removal neither loses the report (tapping
 * again used to answer "already filed" for a ticket that did not exist) nor files it twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindByPhone, buttonsOf, startTelegramHarness, telegramCallback, telegramUser, type Harness, type TgUser } from '../helpers/telegram.js';

let h: Harness;
let nextUser = 7100;

async function residentWithProposal(): Promise<{ u: TgUser; submit: () => ReturnType<Harness['post']> }> {
  const u = telegramUser(++nextUser);
  await bindByPhone(h, u);
  await h.say(u, '暖气不热，室温只有15度');
  const proposal = h.last(u);
  const data = buttonsOf(proposal).find((b) => b.callback_data.startsWith('ro:'))!.callback_data;
  return { u, submit: () => h.post(telegramCallback(u, data, h.fake.message(u.id, proposal.message_id) ?? proposal)) };
}

const ticketsOf = async (u: TgUser) => h.core.db.ticket.count({ where: { resident: { telegramUserId: String(u.id) } } });
const toasts = () =>
  h.fake
    .callsOf('answerCallbackQuery')
    .filter((c) => c.status === 200)
    .map((c) => c.params.text);

beforeAll(async () => {
  h = await startTelegramHarness();
});
afterAll(() => h.close());

describe('a Submit tap when Telegram refuses the niceties', () => {
  it("is filed although the tap's toast is refused, and a second tap says so", async () => {
    const { u, submit } = await residentWithProposal();
    h.fake.failNext('answerCallbackQuery', { status: 500 });
    expect((await submit()).statusCode).toBe(200);
    expect(await ticketsOf(u)).toBe(1);
    expect(h.lastText(u)).toContain('已为您登记，工单号：');
    await submit();
    expect(await ticketsOf(u)).toBe(1);
    expect(toasts().at(-1)).toBe('这条已经为您登记过了，发送 /status 可查看进度。');
  });

  it("is filed although removing the proposal's buttons is refused", async () => {
    const { u, submit } = await residentWithProposal();
    h.fake.failNext('editMessageReplyMarkup', { status: 502 });
    await submit();
    expect(await ticketsOf(u)).toBe(1);
    expect(h.lastText(u)).toContain('已为您登记，工单号：');
  });

  it('can be tapped again when the filing itself failed, and then counts once', async () => {
    const { u, submit } = await residentWithProposal();
    // the database refuses to store the ticket (a trigger): nothing of that filing may remain
    await refuseTickets(true);
    try {
      await submit();
      expect(await ticketsOf(u)).toBe(0);
    } finally {
      await refuseTickets(false);
    }
    await submit();
    await submit();
    expect(await ticketsOf(u)).toBe(1);
  });
});

async function refuseTickets(on: boolean): Promise<void> {
  const db = h.core.db;
  if (h.core.provider === 'sqlite') {
    await db.$executeRawUnsafe(
      on ? `CREATE TRIGGER refuse_ticket BEFORE INSERT ON "Ticket" BEGIN SELECT RAISE(ABORT, 'refused for the test'); END` : 'DROP TRIGGER refuse_ticket',
    );
  } else if (on) {
    await db.$executeRawUnsafe(
      `CREATE OR REPLACE FUNCTION refuse_ticket() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused for the test'; END $$ LANGUAGE plpgsql`,
    );
    await db.$executeRawUnsafe('CREATE TRIGGER refuse_ticket BEFORE INSERT ON "Ticket" FOR EACH ROW EXECUTE FUNCTION refuse_ticket()');
  } else {
    await db.$executeRawUnsafe('DROP TRIGGER refuse_ticket ON "Ticket"');
  }
}
