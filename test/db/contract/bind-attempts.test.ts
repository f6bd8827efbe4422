/**
 * Bind tries on the database under test (SQLite file, or PostgreSQL when TEST_DATABASE_URL is
 * set): the windows per account and overall, every try recorded with what it made, concurrent
 * tries counted one by one, and a second binding's request answered once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer, Resident } from '../../../src/core/model.js';
import type { OutboxItem } from '../../../src/core/outbox/enqueue.js';
import type { BindAnswer, BindTry, ResidentStore } from '../../../src/core/ports/resident-store.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

let core: TestCore;
let residents: ResidentStore;
const t0 = new Date('2026-11-28T06:00:00.123Z');
const later = (min: number) => new Date(t0.getTime() + min * 60_000);
let nextUser = 10_000;

const person = () => residents.meet({ telegramUserId: String(++nextUser), chatId: String(nextUser), locale: 'zh-CN' }, t0);
let nextAccount = 0;
const account = async (): Promise<Customer> =>
  core.db.customer.create({
    data: {
      account: `B-${++nextAccount}`,
      name: '户主',
      phone: `1380000${String(nextAccount).padStart(4, '0')}`,
      address: `小区${nextAccount}号`,
      communityId: 'c001',
      createdAt: t0,
      updatedAt: t0,
    },
  });

/** Each holder owed one message naming the try. */
const owesOne = (attemptId: number, others: readonly Resident[]): OutboxItem[] =>
  others.map((o) => ({ key: `t:${attemptId}:${o.id}`, platform: 'telegram', target: o.chatId, kind: 'bind_request', payload: { attemptId } }));

function attempt(r: Resident, o: Partial<BindTry> & { account: string; at: Date }): BindTry {
  return {
    residentId: r.id,
    telegramUserId: r.telegramUserId,
    proof: 'digits',
    customer: null,
    limits: { perAccount: { max: 5, ms: 60 * 60_000 }, overall: { max: 1000, ms: 60_000 }, resident: { max: 100, lockUntil: later(999) } },
    requestsSince: new Date(o.at.getTime() - 24 * 60 * 60_000),
    owes: owesOne,
    ...o,
  };
}

const answer = (o: Partial<BindAnswer> & { attemptId: number; answererId: number; at: Date }): BindAnswer => ({
  allow: true,
  expiredBefore: new Date(o.at.getTime() - 24 * 60 * 60_000),
  requesterLimit: { max: 100, lockUntil: later(999) },
  owes: (req, allowed, others) => [
    { key: `a:${req.attemptId}`, platform: 'telegram', target: req.requester.chatId, kind: allowed ? 'bind_granted' : 'bind_refused', payload: {} },
    ...others.map((o): OutboxItem => ({ key: `n:${req.attemptId}:${o.id}`, platform: 'telegram', target: o.chatId, kind: 'bind_notice', payload: {} })),
  ],
  ...o,
});

const tries = (acc: string) => core.db.bindAttempt.findMany({ where: { account: acc }, orderBy: { id: 'asc' } });

beforeAll(async () => {
  core = await makeTestCore();
  residents = core.stores.residents;
});
afterAll(() => core.close());

describe('bind tries', () => {
  it('counts wrong tries per account in a sliding hour whoever makes them, refuses without a trace until the oldest counted one leaves it, and counts each against its resident', async () => {
    const acc = 'NOBODY-1';
    const people = [await person(), await person(), await person()];
    for (let i = 0; i < 5; i++) {
      expect(await residents.tryBind(attempt(people[i % 3], { account: acc, at: later(i) }))).toMatchObject({ status: 'failed' });
    }
    expect(await residents.tryBind(attempt(people[0], { account: acc, at: later(10) }))).toEqual({ status: 'limited', until: later(60) });
    expect(await residents.tryBind(attempt(await person(), { account: acc, at: later(59) }))).toEqual({ status: 'limited', until: later(60) });
    expect((await tries(acc)).map((t) => [t.telegramUserId, t.at, t.ok])).toEqual([0, 1, 2, 3, 4].map((i) => [people[i % 3].telegramUserId, later(i), false]));
    expect((await residents.byId(people[0].id))!.bindFailures).toBe(2);
    // the try at t0 has left the window: one more may try
    expect(await residents.tryBind(attempt(people[1], { account: acc, at: later(60) }))).toMatchObject({ status: 'failed', failures: 3 });
    expect(await residents.tryBind(attempt(people[1], { account: acc, at: later(60) }))).toEqual({ status: 'limited', until: later(61) });
  });

  it('counts wrong tries on all accounts together in the overall window', async () => {
    const r = await person();
    const overall = { max: 3, ms: 60_000 };
    const at = later(200);
    for (const acc of ['O-1', 'O-2', 'O-3'])
      expect((await residents.tryBind(attempt(r, { account: acc, at, limits: { ...attempt(r, { account: acc, at }).limits, overall } }))).status).toBe(
        'failed',
      );
    const c = await account();
    const right = attempt(await person(), { account: c.account, at, customer: c });
    expect(await residents.tryBind({ ...right, limits: { ...right.limits, overall } })).toEqual({ status: 'limited', until: later(201) });
    expect(await residents.tryBind({ ...right, proof: 'phone', limits: { ...right.limits, overall } })).toMatchObject({ status: 'bound' });
  });

  it('counts twenty wrong tries at the same instant one by one: the account takes exactly five', async () => {
    const acc = 'RACE-1';
    const people = await Promise.all(Array.from({ length: 20 }, () => person()));
    const out = await Promise.all(people.map((p) => residents.tryBind(attempt(p, { account: acc, at: later(300) }))));
    expect(out.filter((o) => o.status === 'failed')).toHaveLength(5);
    expect(out.filter((o) => o.status === 'limited')).toHaveLength(15);
    expect(await tries(acc)).toHaveLength(5);
  });

  it('locks the resident out at their own limit, in the same transaction as the try', async () => {
    const r = await person();
    const limits = { perAccount: { max: 100, ms: 60_000 }, overall: { max: 1000, ms: 60_000 }, resident: { max: 2, lockUntil: later(415) } };
    expect(await residents.tryBind(attempt(r, { account: 'L-1', at: later(400), limits }))).toEqual({ status: 'failed', failures: 1, lockedUntil: null });
    expect(await residents.tryBind(attempt(r, { account: 'L-2', at: later(400), limits }))).toEqual({ status: 'failed', failures: 0, lockedUntil: later(415) });
    expect(await residents.byId(r.id)).toMatchObject({ bindFailures: 0, bindLockedUntil: later(415) });
  });
});

describe('binding and second bindings', () => {
  it('binds at once when nobody has the account; a second resident waits and the first is owed the question; asking again asks nobody twice', async () => {
    const c = await account();
    const [first, second] = [await person(), await person()];
    const bound = await residents.tryBind(attempt(first, { account: c.account, at: later(500), customer: c }));
    expect(bound).toMatchObject({ status: 'bound', resident: { id: first.id, customerId: c.id, address: c.address, communityId: 'c001' } });

    const waiting = await residents.tryBind(attempt(second, { account: c.account, at: later(501), customer: c }));
    expect(waiting).toMatchObject({ status: 'waiting' });
    const attemptId = (waiting as { attemptId: number }).attemptId;
    expect((await residents.byId(second.id))!.customerId).toBeNull();
    const asked = await core.db.outboxMessage.findMany({ where: { key: { startsWith: `t:${attemptId}:` } } });
    expect(asked.map((m) => [m.target, m.kind, JSON.parse(m.payload)])).toEqual([[first.chatId, 'bind_request', { attemptId }]]);

    expect(await residents.tryBind(attempt(second, { account: c.account, at: later(502), customer: c }))).toEqual({ status: 'waiting', attemptId });
    expect(await tries(c.account)).toHaveLength(2);
    expect(await residents.waitingBindRequest(attemptId, later(0))).toMatchObject({
      attemptId,
      account: c.account,
      customer: { id: c.id },
      requester: { id: second.id },
    });
    // the one already bound tries again: still bound, nobody asked
    expect(await residents.tryBind(attempt(first, { account: c.account, at: later(503), customer: c }))).toMatchObject({ status: 'bound' });
  });

  it("binds by the account's phone beside those already bound and owes them what `owes` returns", async () => {
    const c = await account();
    const first = await person();
    await residents.tryBind(attempt(first, { account: c.account, at: later(600), customer: c }));
    const second = await person();
    const r = await residents.tryBind(attempt(second, { account: c.account, at: later(601), customer: c, proof: 'phone' }));
    expect(r).toMatchObject({ status: 'bound', resident: { id: second.id, customerId: c.id } });
    expect((await tries(c.account)).map((t) => t.ok)).toEqual([true, true]);
    expect(await core.db.outboxMessage.count({ where: { target: first.chatId, kind: 'bind_request' } })).toBe(1);
  });

  it('takes one answer only, from a resident of the account, before the request lapses', async () => {
    const c = await account();
    const [holder, other, asker, stranger] = [await person(), await person(), await person(), await person()];
    await residents.tryBind(attempt(holder, { account: c.account, at: later(700), customer: c }));
    await residents.tryBind(attempt(other, { account: c.account, at: later(700), customer: c, proof: 'phone' }));
    const { attemptId } = (await residents.tryBind(attempt(asker, { account: c.account, at: later(701), customer: c }))) as { attemptId: number };

    expect(await residents.answerBindRequest(answer({ attemptId, answererId: stranger.id, at: later(702) }))).toEqual({ status: 'expired' });
    expect(await residents.answerBindRequest(answer({ attemptId: 999_999, answererId: holder.id, at: later(702) }))).toEqual({ status: 'expired' });

    const both = await Promise.all([
      residents.answerBindRequest(answer({ attemptId, answererId: holder.id, at: later(703), allow: true })),
      residents.answerBindRequest(answer({ attemptId, answererId: other.id, at: later(703), allow: false })),
    ]);
    const won = both.find((b) => b.status !== 'answered');
    expect(both.filter((b) => b.status === 'answered')).toHaveLength(1);
    expect((await residents.byId(asker.id))!.customerId).toBe(won?.status === 'allowed' ? c.id : null);
    expect(await core.db.outboxMessage.count({ where: { key: `a:${attemptId}` } })).toBe(1);
    expect(await residents.waitingBindRequest(attemptId, later(0))).toBeNull();
  });

  it('an allowed request binds the one who asked and owes them the answer and the other residents the notice', async () => {
    const c = await account();
    const [holder, other, asker] = [await person(), await person(), await person()];
    await residents.tryBind(attempt(holder, { account: c.account, at: later(750), customer: c }));
    await residents.tryBind(attempt(other, { account: c.account, at: later(750), customer: c, proof: 'phone' }));
    const { attemptId } = (await residents.tryBind(attempt(asker, { account: c.account, at: later(751), customer: c }))) as { attemptId: number };
    expect(await residents.answerBindRequest(answer({ attemptId, answererId: holder.id, at: later(752) }))).toMatchObject({
      status: 'allowed',
      request: { attemptId, account: c.account, requester: { id: asker.id, customerId: c.id, address: c.address } },
    });
    expect((await residents.byId(asker.id))!.customerId).toBe(c.id);
    const owed = await core.db.outboxMessage.findMany({
      where: { OR: [{ key: `a:${attemptId}` }, { key: { startsWith: `n:${attemptId}:` } }] },
      orderBy: { id: 'asc' },
    });
    expect(owed.map((m) => [m.target, m.kind])).toEqual([
      [asker.chatId, 'bind_granted'],
      [other.chatId, 'bind_notice'],
    ]);
  });

  it('a refusal turns the try wrong (it counts in the account window) and against the one who asked; a lapsed request takes no answer', async () => {
    const c = await account();
    const [holder, asker, late] = [await person(), await person(), await person()];
    await residents.tryBind(attempt(holder, { account: c.account, at: later(800), customer: c }));
    const { attemptId } = (await residents.tryBind(attempt(asker, { account: c.account, at: later(801), customer: c }))) as { attemptId: number };
    expect(await residents.answerBindRequest(answer({ attemptId, answererId: holder.id, at: later(802), allow: false }))).toMatchObject({ status: 'refused' });
    expect(await residents.answerBindRequest(answer({ attemptId, answererId: holder.id, at: later(803), allow: true }))).toEqual({ status: 'answered' });
    expect(await residents.byId(asker.id)).toMatchObject({ customerId: null, bindFailures: 1 });
    expect((await tries(c.account)).map((t) => t.ok)).toEqual([true, false]);
    expect(await core.db.outboxMessage.findFirst({ where: { key: `a:${attemptId}` } })).toMatchObject({ target: asker.chatId, kind: 'bind_refused' });

    const { attemptId: lapsing } = (await residents.tryBind(attempt(late, { account: c.account, at: later(810), customer: c }))) as { attemptId: number };
    expect(await residents.waitingBindRequest(lapsing, later(810 - 24 * 60 - 1))).not.toBeNull();
    expect(await residents.waitingBindRequest(lapsing, later(810))).toBeNull();
    expect(await residents.answerBindRequest(answer({ attemptId: lapsing, answererId: holder.id, at: later(810 + 24 * 60) }))).toEqual({ status: 'expired' });
    expect((await residents.byId(late.id))!.customerId).toBeNull();
  });
});
