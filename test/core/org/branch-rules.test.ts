/**
 * 九: each branch writes its detailed rules under the company's. A branch may tighten the
 * company's time limits, basic labour fee, office hours and escalation delays, never loosen them
 * (the file is refused with the path and the rule); the most specific time-limit row wins across
 * the branch's and the company's tables; and a branch's own values are the ones its tickets get.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEMO_ORG } from '../../../src/config.js';
import { addOfficeMinutes } from '../../../src/core/deadlines/office-hours.js';
import { computeDeadlines, type TicketClass } from '../../../src/core/deadlines/time-limits.js';
import { AppError } from '../../../src/core/errors.js';
import { parseOrg } from '../../../src/core/org/load-org.js';
import { Org } from '../../../src/core/org/org.js';

const SAIHAN = 3; // branches[3] of the demo file
const demo = () => parse(readFileSync(DEMO_ORG, 'utf8'));
const withSaihan = (extra: Record<string, unknown>) => {
  const doc = demo();
  Object.assign(doc.branches[SAIHAN], extra);
  return doc;
};

function refusal(doc: unknown): AppError {
  try {
    parseOrg(doc, 'org.yaml');
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected the file to be refused');
}
const issues = (e: AppError) => e.context.issues as { path: string; code?: string; message: string }[];

const complaint = (over: Partial<TicketClass> = {}): TicketClass => ({
  kind: 'complaint',
  category: 'no_heat',
  scope: 'secondary',
  severity: 'normal',
  ...over,
});
const START = new Date('2026-12-07T02:00:00Z'); // Monday 10:00 in Hohhot
const minutesTo = (d: Date | null) => (d ? (d.getTime() - START.getTime()) / 60_000 : null);

describe('a branch may tighten the company limits, not loosen them (九)', () => {
  it("accepts the demo file: 赛罕's billing row (ack 30m, resolve 2 office days) is tighter than the company's (1h, 3 office days)", () => {
    const org = new Org(parseOrg(demo()));
    const billing = computeDeadlines(org.config, 'saihan', complaint({ category: 'billing' }), START);
    const company = computeDeadlines(org.config, 'xincheng', complaint({ category: 'billing' }), START);
    expect(billing.calendar).toBe('office');
    expect(billing.resolveDueAt!.getTime()).toBeLessThan(company.resolveDueAt!.getTime());
  });

  it('refuses a branch row that gives a leak 48h where the company gives 24h, naming the path and the rule', () => {
    const leak = { match: { kind: 'complaint', category: 'leak' }, ack: '5m', arrive: '30m', resolve: '48h', callback: '24h', calendar: 'wall' };
    const e = refusal(withSaihan({ timeLimits: [demo().branches[SAIHAN].timeLimits[0], leak] }));
    expect(e.code).toBe('org_config_invalid');
    expect(issues(e)).toEqual([
      {
        path: `branches[${SAIHAN}].timeLimits[1].resolve`,
        code: 'branch_limit_looser',
        message: expect.stringContaining('branch 赛罕供热分公司 gives 48h where the company gives 24h for complaint/leak (timeLimits[3].resolve)'),
      },
    ]);
    expect(e.message).toContain(`org.yaml: branches[${SAIHAN}].timeLimits[1].resolve: [branch_limit_looser] branch 赛罕供热分公司 gives 48h`);
  });

  it('refuses a branch row that drops a limit the company sets, or moves a round-the-clock limit onto office hours', () => {
    const noArrive = { match: { kind: 'complaint', category: 'leak' }, ack: '5m', resolve: '12h', callback: '24h' };
    const officeLeak = { match: { kind: 'complaint', category: 'leak' }, ack: '5m', arrive: '30m', resolve: '12h', callback: '24h', calendar: 'office' };
    expect(issues(refusal(withSaihan({ timeLimits: [noArrive] })))).toEqual([
      expect.objectContaining({
        path: `branches[${SAIHAN}].timeLimits[0].arrive`,
        message: expect.stringContaining('gives no limit where the company gives 30m'),
      }),
    ]);
    const paths = issues(refusal(withSaihan({ timeLimits: [officeLeak] }))).map((i) => i.path);
    expect(paths).toEqual([`branches[${SAIHAN}].timeLimits[0].ack`, `branches[${SAIHAN}].timeLimits[0].arrive`, `branches[${SAIHAN}].timeLimits[0].resolve`]);
  });

  it('refuses a higher basic labour fee, shorter office hours and later escalation, each at its path', () => {
    const e = refusal(
      withSaihan({
        basicLabourFee: 35,
        officeHours: { days: [1, 2, 3, 4], start: '09:00', end: '17:30' },
        escalation: { warnLead: '10m', secondLevelAfter: '1h', thirdLevelAfter: '2h' },
      }),
    );
    const at = `branches[${SAIHAN}]`;
    expect(issues(e).map((i) => [i.path, i.code])).toEqual([
      [`${at}.basicLabourFee`, 'branch_limit_looser'],
      [`${at}.officeHours.days`, 'branch_limit_looser'],
      [`${at}.officeHours.start`, 'branch_limit_looser'],
      [`${at}.escalation.warnLead`, 'branch_limit_looser'],
      [`${at}.escalation.secondLevelAfter`, 'branch_limit_looser'],
    ]);
    expect(e.message).toContain("basic labour fee of 35 yuan where the company's is 30");
    expect(e.message).toContain("is closed on day(s) 5 when the company's office is open");
    expect(e.message).toContain('escalates 1h after a missed deadline where the company escalates after 30m');
  });
});

describe('the most specific time-limit row wins across the branch and the company (九)', () => {
  // the issue's example: a branch's generic complaint row must not displace the company's leak and major rows
  const doc = withSaihan({
    timeLimits: [
      { match: { kind: 'complaint' }, ack: '10m', arrive: '45m', resolve: '20h', callback: '12h' },
      { match: { kind: 'complaint', category: 'leak' }, ack: '3m', arrive: '20m', resolve: '12h', callback: '24h' },
    ],
  });
  const config = parseOrg(doc);

  it("gives a major complaint the company's major row over the branch's generic and leak rows", () => {
    const major = computeDeadlines(config, 'saihan', complaint({ category: 'leak', severity: 'major' }), START);
    expect([minutesTo(major.ackDueAt), minutesTo(major.arriveDueAt), minutesTo(major.resolveDueAt)]).toEqual([5, 30, 12 * 60]);
  });

  it("gives a leak the branch's own leak row, which ties the company's in specificity and so wins", () => {
    const leak = computeDeadlines(config, 'saihan', complaint({ category: 'leak' }), START);
    expect([minutesTo(leak.ackDueAt), minutesTo(leak.arriveDueAt), minutesTo(leak.resolveDueAt)]).toEqual([3, 20, 12 * 60]);
    // another branch keeps the company's leak row
    const elsewhere = computeDeadlines(config, 'xincheng', complaint({ category: 'leak' }), START);
    expect([minutesTo(elsewhere.ackDueAt), minutesTo(elsewhere.arriveDueAt)]).toEqual([5, 30]);
  });

  it("gives a household no-heat complaint the company's secondary-network row, more specific than the branch's generic one", () => {
    const noHeat = computeDeadlines(config, 'saihan', complaint(), START);
    expect([minutesTo(noHeat.ackDueAt), minutesTo(noHeat.arriveDueAt), noHeat.callbackMinutes]).toEqual([15, 60, 24 * 60]);
  });
});

describe("a branch's own labour fee, office hours and escalation delays (九)", () => {
  const doc = withSaihan({
    basicLabourFee: 20,
    officeHours: { days: [1, 2, 3, 4, 5, 6], start: '08:00', end: '18:00' },
    escalation: { warnLead: '30m', secondLevelAfter: '10m' },
  });
  const org = new Org(parseOrg(doc));

  it('charges own-materials work the branch fee and the company fee elsewhere (R12)', () => {
    expect(org.labourFeeCents('saihan')).toBe(2000);
    expect(org.labourFeeCents('xincheng')).toBe(3000);
    expect(org.labourFeeCents(null)).toBe(3000);
  });

  it("runs the branch's office-hours limits on its own hours: a Saturday billing complaint in 赛罕 is answered within its working week", () => {
    expect(org.officeHoursOf('saihan')).toEqual({ days: [1, 2, 3, 4, 5, 6], start: '08:00', end: '18:00' });
    expect(org.officeHoursOf('xincheng')).toEqual(org.config.officeHours);
    const saturday = new Date('2026-12-05T02:00:00Z'); // 10:00 local
    const billing = complaint({ category: 'billing' });
    const own = computeDeadlines(org.config, 'saihan', billing, saturday);
    // ack 30m of its own office time: Saturday 10:30; resolve 2 of its 10-hour days: Sat 8h + Mon 10h + Tue 2h
    expect(own.ackDueAt!.toISOString()).toBe('2026-12-05T02:30:00.000Z');
    expect(own.resolveDueAt!.toISOString()).toBe('2026-12-08T02:00:00.000Z');
    // the company's office is closed on Saturday: its clock starts on Monday at 08:30
    expect(addOfficeMinutes(org.config, saturday, 30).toISOString()).toBe('2026-12-07T01:00:00.000Z');
  });

  it("escalates a 赛罕 ticket on the branch's delays and keeps the company's elsewhere", () => {
    expect(org.escalationOf('saihan')).toMatchObject({ warnLeadMinutes: 30, secondLevelAfterMinutes: 10, thirdLevelAfterMinutes: 120 });
    expect(org.escalationOf('xincheng')).toEqual(org.config.escalation);
  });
});
