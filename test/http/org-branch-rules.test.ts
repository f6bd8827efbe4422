/** 九: GET /api/org shows each branch's own rules and what its tickets get where it sets none. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEMO_ORG } from '../../src/config.js';
import { auth, makeTestApp } from '../helpers/app.js';
import { makeTestCore } from '../helpers/core.js';

let app: Awaited<ReturnType<typeof makeTestApp>>['app'];
let close: () => Promise<void>;
beforeAll(async () => {
  const doc = parse(readFileSync(DEMO_ORG, 'utf8'));
  Object.assign(doc.branches[3], { basicLabourFee: 20, escalation: { secondLevelAfter: '20m' } });
  const core = await makeTestCore({ org: doc });
  ({ app } = await makeTestApp({}, core));
  close = async () => {
    await app.close();
    await core.close();
  };
});
afterAll(() => close?.());

describe("the organisation as the API shows it: a branch's own rules (九)", () => {
  it("gives 赛罕 its billing row, fee and second-level delay, and 新城 the company's", async () => {
    const org = (await app.inject({ method: 'GET', url: '/api/org', headers: auth })).json();
    const saihan = org.branches.find((b: { id: string }) => b.id === 'saihan');
    expect(saihan).toMatchObject({
      basicLabourFeeCents: 2000,
      officeHours: { days: [1, 2, 3, 4, 5], start: '08:30', end: '17:30' },
      escalation: { warnLeadMinutes: 15, secondLevelAfterMinutes: 20, thirdLevelAfterMinutes: 120 },
    });
    expect(saihan.timeLimits).toEqual([
      expect.objectContaining({ match: { kind: 'complaint', category: 'billing' }, ack: 30, resolve: 1080, calendar: 'office' }),
    ]);
    const xincheng = org.branches.find((b: { id: string }) => b.id === 'xincheng');
    expect(xincheng).toMatchObject({ basicLabourFeeCents: 3000, timeLimits: [], escalation: { secondLevelAfterMinutes: 30 } });
  });
});
