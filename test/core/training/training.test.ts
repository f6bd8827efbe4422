/**
 * Yearly training in the core (R23/R24): who may record a session, what a session must say, the
 * CSV import's line-numbered row errors beside the rows it keeps, and the year's overview.
 * The test clock stands at 2026-11-28 14:00 company time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../../src/core/errors.js';
import { importTrainingSessions } from '../../../src/core/training/import-sessions.js';
import { planTopic } from '../../../src/core/training/plan-topic.js';
import { recordSession } from '../../../src/core/training/record-session.js';
import { readYear, trainingYear } from '../../../src/core/training/training-year.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

let core: TestCore;
beforeAll(async () => {
  core = await makeTestCore();
});
afterAll(() => core.close());

const base = { topic: 'complaint_handling', date: '2026-10-15', trainer: '客服中心 李老师', attendees: ['xincheng-field1'], actor: 'staff:xincheng-coord' };

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isAppError(e)) return `${e.code}${e.context.reason ? `:${e.context.reason}` : ''}${e.context.field ? `@${e.context.field}` : ''}`;
    throw e;
  }
  return 'stored';
}

describe('recording a training session (R23/R24)', () => {
  it("a branch coordinator records a session of the branch's own staff; the branch is theirs", async () => {
    const r = await recordSession(core, { ...base, attendees: ['xincheng-field1', 'xincheng-field2'] });
    expect(r.created).toBe(true);
    expect(r.session).toMatchObject({ topic: 'complaint_handling', date: '2026-10-15', year: 2026, branchId: 'xincheng', createdBy: 'staff:xincheng-coord' });
    expect(r.added).toEqual(['xincheng-field1', 'xincheng-field2']);
  });

  it('refuses what the measures do not allow: another branch, someone who does not record, a topic off the list, a future or impossible date, an unknown person', async () => {
    expect(await refusal(recordSession(core, { ...base, attendees: ['huimin-field1'] }))).toBe('forbidden:other_branch');
    expect(await refusal(recordSession(core, { ...base, actor: 'staff:xincheng-field1' }))).toBe('forbidden:not_allowed');
    expect(await refusal(recordSession(core, { ...base, topic: 'cooking' }))).toBe('validation_failed@topic');
    expect(await refusal(recordSession(core, { ...base, date: '2026-11-29' }))).toBe('invalid_date:future@date');
    expect(await refusal(recordSession(core, { ...base, date: '2026-02-30' }))).toBe('invalid_date@date');
    expect(await refusal(recordSession(core, { ...base, attendees: ['nobody'] }))).toBe('unknown_staff@attendees');
    expect(await refusal(recordSession(core, { ...base, attendees: [] }))).toBe('validation_failed@attendees');
    expect(await refusal(recordSession(core, { ...base, trainer: '  ' }))).toBe('validation_failed@trainer');
    // nothing of the refused ones was stored
    expect(await core.db.trainingSession.count()).toBe(1);
  });

  it("the centre records a company session with anyone's staff; today's date is allowed", async () => {
    const r = await recordSession(core, { ...base, date: '2026-11-28', actor: 'staff:agent01', attendees: ['agent02', 'huimin-field1'] });
    expect(r.session.branchId).toBe('');
  });

  it('plans a topic for this year or the next, by those who record', async () => {
    const p = await planTopic(core, { year: 2027, month: 3, topic: 'regulations', actor: 'staff:hq-leader' });
    expect(p.item).toMatchObject({ year: 2027, month: 3, branchId: '', topic: 'regulations' });
    expect(await refusal(planTopic(core, { year: 2025, month: 3, topic: 'regulations', actor: 'staff:hq-leader' }))).toBe('validation_failed@year');
    expect(await refusal(planTopic(core, { year: 2027, month: 13, topic: 'regulations', actor: 'staff:hq-leader' }))).toBe('validation_failed@month');
    expect(await refusal(planTopic(core, { year: 2027, month: 1, topic: 'regulations', branchId: 'huimin', actor: 'staff:xincheng-coord' }))).toBe(
      'forbidden:other_branch',
    );
  });
});

describe('the training CSV import (R23/R24)', () => {
  it('keeps the good rows and reports each bad one with its line and code: unknown staff, a future date, a duplicate, a malformed date, a topic off the list', async () => {
    const csv = [
      'date,topic,trainer,staff_id,branch,note',
      '2026-09-01,regulations,王工,huimin-field1,huimin,服务规范第一期',
      '2026-09-01,regulations,王工,huimin-field2,huimin,',
      '2026-09-01,regulations,王工,ghost,huimin,',
      '2026-12-24,regulations,王工,huimin-coord,huimin,',
      '',
      '2026-09-01,regulations,王工,huimin-field1,huimin,',
      '2026/09/01,regulations,王工,huimin-coord,huimin,',
      '2026-09-02,cooking,王工,huimin-coord,huimin,',
      '2026-09-03,heating_process,"张工, 换热站",huimin-billing,,',
      '2026-10-15,complaint_handling,客服中心 李老师,xincheng-field1,xincheng,',
    ].join('\r\n');
    const r = await importTrainingSessions(core, csv, 'api:operator');
    expect(r.errors.map((e) => [e.line, e.code])).toEqual([
      [4, 'unknown_staff'],
      [5, 'date_in_future'],
      [7, 'duplicate_row'],
      [8, 'malformed_date'],
      [9, 'unknown_topic'],
      [11, 'duplicate_row'], // stored before, by the coordinator's session
    ]);
    expect(r).toMatchObject({ imported: 3, sessions: 2, created: 2 });
    const stored = await core.stores.training.sessionsOfYear(2026);
    const sept = stored.find((s) => s.date === '2026-09-01')!;
    expect(sept).toMatchObject({ topic: 'regulations', trainer: '王工', branchId: 'huimin', note: '服务规范第一期', createdBy: 'api:operator' });
    expect(sept.staffIds).toEqual(['huimin-field1', 'huimin-field2']);
    expect(stored.find((s) => s.date === '2026-09-03')).toMatchObject({ trainer: '张工, 换热站', branchId: '', staffIds: ['huimin-billing'] });
  });

  it('importing the same file again stores nothing and reports every row as a duplicate', async () => {
    const csv = 'date,topic,trainer,staff_id\n2026-09-03,heating_process,"张工, 换热站",huimin-billing\n';
    expect(await importTrainingSessions(core, csv, 'api:operator')).toEqual({
      imported: 0,
      sessions: 0,
      created: 0,
      errors: [{ line: 2, code: 'duplicate_row', message: 'huimin-billing is already recorded for this session' }],
    });
  });

  it('refuses a file without the header whole', async () => {
    expect(await refusal(importTrainingSessions(core, '2026-09-01,regulations,王工,huimin-field1\n', 'api:operator'))).toBe('csv_invalid');
  });
});

describe("the year's overview (R23/R24)", () => {
  it('lists per staff member the sessions and topics of the year, and the service staff with none', async () => {
    const y = await trainingYear(core, { year: 2026 });
    const row = (id: string) => y.staff.find((s) => s.staffId === id);
    expect(row('xincheng-field1')).toMatchObject({ sessions: 1, topics: ['complaint_handling'], lastDate: '2026-10-15' });
    expect(row('huimin-field1')).toMatchObject({ sessions: 2, topics: ['regulations', 'complaint_handling'], lastDate: '2026-11-28' });
    expect(y.untrained).toContain('xincheng-coord');
    expect(y.untrained).not.toContain('xincheng-field2');
    // leaders and admins organise training: not listed as untrained
    expect(y.untrained).not.toContain('hq-leader');
    const huimin = await trainingYear(core, { year: 2026, branchId: 'huimin' });
    expect(huimin.untrained).toEqual(['huimin-coord']);
    expect(huimin.sessions.map((s) => s.date)).toEqual(['2026-09-01', '2026-09-03', '2026-11-28']);
  });

  it('reads ?year= as YYYY from 2000 to next year, this year when absent', () => {
    const now = core.clock.now();
    expect(readYear(undefined, now)).toBe(2026);
    expect(readYear('2025', now)).toBe(2025);
    expect(() => readYear('2028', now)).toThrow(/year/);
    expect(() => readYear('26', now)).toThrow(/year/);
  });
});
