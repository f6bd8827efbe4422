/**
 * The training store on the database under test (SQLite file, or PostgreSQL when
 * TEST_DATABASE_URL is set): a session recorded twice is one session, attendance is one row per
 * staff member, and the plan keeps one month per year, branch and topic (R23/R24).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewTrainingSession, TrainingStore } from '../../../src/core/ports/training-store.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

let core: TestCore;
let training: TrainingStore;
const at = new Date('2026-11-28T06:00:00.123Z');

beforeAll(async () => {
  core = await makeTestCore();
  training = core.stores.training;
});
afterAll(() => core.close());

const session = (over: Partial<NewTrainingSession> = {}): NewTrainingSession => ({
  topic: 'regulations',
  date: '2026-03-12',
  year: 2026,
  trainer: '王老师',
  branchId: 'xincheng',
  note: null,
  createdBy: 'staff:agent01',
  createdAt: at,
  ...over,
});

describe('the training store (R23/R24)', () => {
  it('stores a session with one attendance row per staff member, and a second recording of it joins the first', async () => {
    const first = await training.recordSession(session({ note: '第一期' }), ['xincheng-field1', 'xincheng-field2', 'xincheng-field1']);
    expect(first.created).toBe(true);
    expect(first.added).toEqual(['xincheng-field1', 'xincheng-field2']);
    expect(first.already).toEqual([]);
    expect(first.session).toMatchObject({ topic: 'regulations', date: '2026-03-12', year: 2026, branchId: 'xincheng', note: '第一期', createdAt: at });

    const again = await training.recordSession(session({ note: '另一条备注' }), ['xincheng-field2', 'xincheng-coord']);
    expect(again.created).toBe(false);
    expect(again.session.id).toBe(first.session.id);
    expect(again.session.note).toBe('第一期');
    expect(again.added).toEqual(['xincheng-coord']);
    expect(again.already).toEqual(['xincheng-field2']);
    expect(await core.db.trainingAttendance.count({ where: { sessionId: first.session.id } })).toBe(3);
  });

  it("reads a year's sessions by date with their attendees, and no other year's", async () => {
    await training.recordSession(session({ topic: 'communication', date: '2026-01-20', branchId: '' }), ['agent01']);
    await training.recordSession(session({ topic: 'communication', date: '2025-12-20', year: 2025, branchId: '' }), ['agent02']);
    await training.recordSession(session({ topic: 'indoor_systems', date: '2026-05-02' }), []);
    const year = await training.sessionsOfYear(2026);
    expect(year.map((s) => [s.date, s.topic, s.staffIds])).toEqual([
      ['2026-01-20', 'communication', ['agent01']],
      ['2026-03-12', 'regulations', ['xincheng-field1', 'xincheng-field2', 'xincheng-coord']],
      ['2026-05-02', 'indoor_systems', []],
    ]);
    expect((await training.sessionsOfYear(2025)).map((s) => s.staffIds)).toEqual([['agent02']]);
    expect(await training.sessionsOfYear(2024)).toEqual([]);
  });

  it('plans a topic once per year and branch: planning it again moves its month', async () => {
    const a = await training.planTopic({ year: 2027, branchId: '', topic: 'regulations', month: 3, createdBy: 'staff:hq-leader', createdAt: at });
    expect(a.created).toBe(true);
    await training.planTopic({ year: 2027, branchId: 'huimin', topic: 'heating_process', month: 1, createdBy: 'staff:huimin-head', createdAt: at });
    const moved = await training.planTopic({ year: 2027, branchId: '', topic: 'regulations', month: 9, createdBy: 'staff:hq-leader', createdAt: at });
    expect(moved).toMatchObject({ created: false, item: { id: a.item.id, month: 9 } });
    expect((await training.plan(2027)).map((p) => [p.month, p.branchId, p.topic])).toEqual([
      [1, 'huimin', 'heating_process'],
      [9, '', 'regulations'],
    ]);
    expect(await training.plan(2026)).toEqual([]);
  });
});
