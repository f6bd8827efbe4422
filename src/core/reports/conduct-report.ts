/**
 * The leaders' monthly list of conduct complaints (R31-R33), on the 1st at 09:15: the findings
 * recorded in the month that ended (staff member, their branch, the finding, its consequence,
 * the ticket) and the conduct complaints still being investigated. It goes to the company's
 * leaders channel only: a branch's channels never see complaints about their own staff. Sent
 * even when the month had none, so that "nothing" is said rather than left to be guessed.
 */
import type { MonthlyBuilder } from './monthly-builder.js';

export const conductReport: MonthlyBuilder = async (core, occurrence) => {
  const target = core.org.config.centre.channels.leaders;
  if (!target) return [];
  const [findings, open] = await Promise.all([core.stores.conduct.list({ month: occurrence.month }), core.stores.conduct.open()]);
  const payload = { report: 'conduct', date: occurrence.date, month: occurrence.month, findings, open };
  return [{ key: `report:${occurrence.key}:company`, platform: 'slack', target, kind: 'report', payload }];
};
