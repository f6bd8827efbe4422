import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR, MINUTE } from '../../../src/core/clock.js';
import { planProposals, proposeIncidents } from '../../../src/core/incidents/propose-incidents.js';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { DeadlineScheduler } from '../../../src/scheduler/deadline-scheduler.js';
import { hotlineComplaint } from '../../helpers/builders.js';
import { demoOrg, makeTestCore, type TestCore } from '../../helpers/core.js';

let core: TestCore;
beforeAll(async () => {
  core = await makeTestCore();
});
afterAll(() => core?.close());

/** A no-heat report (or another category) from a community, filed now. */
const report = (communityId: string, category: 'no_heat' | 'leak' | 'billing' = 'no_heat') =>
  createTicket(core, hotlineComplaint({ customerAccount: undefined, communityId, category, description: `${communityId} 暖气不热` }));

async function proposals() {
  const rows = await core.db.outboxMessage.findMany({ where: { kind: 'incident_proposal' }, orderBy: { id: 'asc' } });
  return rows.map((r): Record<string, any> => ({ target: r.target, key: r.key, ...JSON.parse(r.payload) }));
}

// HX-XI02 feeds 幸福家园 (c001), 东风小区 (c005) and 北垣新村 (c009) of 新城 (config/demo-org.yaml)
describe('the automatic incident proposal', () => {
  it('is not made for four no-heat reports from one station within 30 minutes', async () => {
    await report('c001');
    await report('c005');
    core.clock.advance(10 * MINUTE);
    await report('c009');
    await report('c001');
    expect((await proposeIncidents(core)).proposed).toEqual([]);
    expect(await proposals()).toEqual([]);
  });

  it('is owed to the centre triage channel and the branch urgent channel at the fifth report, naming the station and its communities', async () => {
    core.clock.advance(5 * MINUTE);
    await report('c005', 'leak');
    const { proposed } = await proposeIncidents(core);
    expect(proposed.map((p) => [p.areaKey, p.count])).toEqual([['station:HX-XI02', 5]]);
    const rows = await proposals();
    expect(rows.map((r) => r.target)).toEqual(['C0CENTRE01', 'C1XINCHEU']);
    expect(rows[0]).toMatchObject({
      areaKey: 'station:HX-XI02',
      stationId: 'HX-XI02',
      communityIds: ['c001', 'c005', 'c009'],
      count: 5,
      branchId: 'xincheng',
      windowStart: '2026-11-28T06:00:00.000Z',
      proposalKey: 'station:HX-XI02@2026-11-28T06:00:00.000Z',
    });
    expect(rows[1].proposalKey).toBe(rows[0].proposalKey); // a tap on either copy declares the same incident
  });

  it('is not made twice for the same area within two hours, even as reports keep coming', async () => {
    core.clock.advance(MINUTE);
    expect((await proposeIncidents(core)).proposed).toEqual([]);
    for (let i = 0; i < 6; i++) await report('c009');
    core.clock.advance(HOUR);
    for (let i = 0; i < 5; i++) await report('c001');
    expect((await proposeIncidents(core)).proposed).toEqual([]);
    expect(await proposals()).toHaveLength(2);
  });

  it('is made again for the same area once two hours have passed and five new reports came', async () => {
    core.clock.advance(HOUR + 5 * MINUTE);
    for (let i = 0; i < 5; i++) await report('c005');
    const { proposed } = await proposeIncidents(core);
    expect(proposed.map((p) => [p.areaKey, p.count])).toEqual([['station:HX-XI02', 5]]);
    expect(await proposals()).toHaveLength(4);
  });

  it('does not count reports older than the window, billing questions, or another station', async () => {
    core.clock.advance(3 * HOUR);
    // HX-HU03 feeds 通道南街小区 (c010) and 回民区委家属院 (c014) of 回民
    await report('c010');
    await report('c014');
    await report('c010');
    core.clock.advance(31 * MINUTE);
    await report('c010');
    await report('c014', 'billing');
    await report('c002'); // 兴安花园: HX-XI03
    await report('c014');
    await report('c010');
    await report('c010', 'leak');
    // in the window: 3 no-heat and a leak of HX-HU03; the first three are 31 minutes old
    expect((await proposeIncidents(core)).proposed).toEqual([]);
    await report('c014');
    const { proposed } = await proposeIncidents(core);
    expect(proposed.map((p) => [p.areaKey, p.count, p.branchIds])).toEqual([['station:HX-HU03', 5, ['huimin']]]);
    expect((await proposals()).slice(-2).map((r) => r.target)).toEqual(['C0CENTRE01', 'C1HUIMINU']);
  });
});

describe('the proposal sweep of the scheduler', () => {
  it('owes the proposals of the last window and tells the outbox to deliver', async () => {
    core.clock.advance(3 * HOUR);
    for (let i = 0; i < 5; i++) await report('c002'); // 兴安花园, HX-XI03
    const kicked: number[] = [];
    await new DeadlineScheduler({ core, onFired: (n) => kicked.push(n) }).propose();
    expect(kicked).toEqual([1]);
    expect((await proposals()).slice(-2).map((r) => [r.target, r.areaKey])).toEqual([
      ['C0CENTRE01', 'station:HX-XI03'],
      ['C1XINCHEU', 'station:HX-XI03'],
    ]);
  });
});

describe('planProposals (pure)', () => {
  const org = demoOrg();
  const now = new Date('2026-11-28T08:00:00Z');
  const at = (min: number) => new Date(now.getTime() - min * MINUTE);

  it('proposes the station rather than each of its communities, and no community twice in one pass', () => {
    const plan = planProposals(
      org,
      {
        communities: [
          { communityId: 'c001', count: 6, first: at(20) },
          { communityId: 'c005', count: 1, first: at(10) },
        ],
        covered: [],
        proposals: [],
      },
      now,
    );
    expect(plan.map((p) => [p.areaKey, p.count, p.windowStart])).toEqual([['station:HX-XI02', 7, at(20)]]);
  });

  it('leaves out communities an open incident covers, and those no longer in the organisation file', () => {
    const plan = planProposals(
      org,
      {
        communities: [
          { communityId: 'c001', count: 9, first: at(20) },
          { communityId: 'c005', count: 3, first: at(10) },
          { communityId: 'gone', count: 9, first: at(10) },
        ],
        covered: ['c001'],
        proposals: [],
      },
      now,
    );
    expect(plan).toEqual([]);
  });

  it('keeps quiet for two hours after a proposal of the area or of a station that serves the community', () => {
    const digest = { communities: [{ communityId: 'c001', count: 5, first: at(20) }], covered: [], proposals: [{ areaKey: 'station:HX-XI02', at: at(119) }] };
    expect(planProposals(org, digest, now)).toEqual([]);
    expect(planProposals(org, { ...digest, proposals: [{ areaKey: 'station:HX-XI02', at: at(121) }] }, now)).toHaveLength(1);
  });
});
