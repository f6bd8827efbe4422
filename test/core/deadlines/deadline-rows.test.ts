import { describe, expect, it } from 'vitest';
import { planDeadlineAlerts } from '../../../src/core/deadlines/alert-effects.js';
import { deadlineRunning, deadlineState, generationOf } from '../../../src/core/deadlines/deadline-rows.js';
import type { DueAlert } from '../../../src/core/ports/alert-store.js';
import { demoOrg } from '../../helpers/core.js';

const DUE = new Date('2026-11-28T07:00:00Z');
const MIN = 60_000;
const row = (over: { metAt?: Date; missedAt?: Date; supersededAt?: Date } = {}) => ({
  dueAt: DUE,
  metAt: over.metAt ?? null,
  missedAt: over.missedAt ?? null,
  supersededAt: over.supersededAt ?? null,
});
const before = new Date(DUE.getTime() - MIN);
const after = new Date(DUE.getTime() + MIN);

describe('how a deadline stands, from its row (R7, R29)', () => {
  it('is met when its step was done by the due time, met late after it', () => {
    expect(deadlineState(row({ metAt: DUE }), after)).toBe('met');
    expect(deadlineState(row({ metAt: after, missedAt: DUE }), after)).toBe('met_late');
  });

  it('is open until it is due, and missed once past due or once its overdue alert fired', () => {
    expect(deadlineState(row(), before)).toBe('open');
    expect(deadlineState(row(), DUE)).toBe('open');
    expect(deadlineState(row(), after)).toBe('missed');
    expect(deadlineState(row({ missedAt: DUE }), DUE)).toBe('missed');
  });

  it('is withdrawn when its generation or ticket ended before it was met', () => {
    expect(deadlineState(row({ supersededAt: before }), after)).toBe('withdrawn');
    expect(deadlineState(row({ metAt: before, supersededAt: before }), after)).toBe('met');
  });

  it('judges a moment by what had happened by then: a step after it does not count (R29, a period’s end)', () => {
    expect(deadlineState(row({ metAt: after }), before)).toBe('open');
    expect(deadlineState(row({ supersededAt: after }), after)).toBe('withdrawn');
    expect(deadlineState(row({ supersededAt: after }), DUE)).toBe('open');
  });

  it('runs only while neither met nor withdrawn; a ticket with no row of that name runs against none', () => {
    expect(deadlineRunning(row())).toBe(true);
    expect(deadlineRunning(row({ missedAt: DUE }))).toBe(true);
    expect(deadlineRunning(row({ metAt: after }))).toBe(false);
    expect(deadlineRunning(row({ supersededAt: after }))).toBe(false);
    expect(deadlineRunning(null)).toBe(false);
  });

  it('opens a generation with a row per limit and the ticket’s due columns from the same times', () => {
    const g = generationOf({ ackDueAt: DUE, arriveDueAt: null, resolveDueAt: after }, before);
    expect(g.columns).toEqual({ ackDueAt: DUE, arriveDueAt: null, resolveDueAt: after });
    expect(g.rows).toEqual([
      { name: 'ack', startedAt: before, dueAt: DUE },
      { name: 'resolve', startedAt: before, dueAt: after },
    ]);
  });
});

describe('the sweep judges an alert by its deadline’s row (R7)', () => {
  const due = (deadline: DueAlert['deadline']): DueAlert => ({
    alert: {
      id: 1,
      key: 'ticket:7:ack_overdue:0',
      ticketId: 7,
      kind: 'ack_overdue',
      dueAt: DUE,
      data: JSON.stringify({ deadline: 'ack', dueAt: DUE }),
      firedAt: null,
      cancelledAt: null,
      leaseOwner: 'a',
      leaseUntil: after,
    },
    ticket: {
      id: 7,
      status: 'dispatched',
      acceptedAt: null,
      arrivedAt: null,
      resolvedAt: null,
      branchId: 'xincheng',
      unitId: 'xincheng-field',
      assigneeId: null,
      severity: 'normal',
    },
    deadline,
  });
  const running = { id: 70, generation: 0, dueAt: DUE, metAt: null, missedAt: null, supersededAt: null };

  it('marks a running deadline missed with its overdue alert, and the ticket overdue', () => {
    const plan = planDeadlineAlerts(demoOrg(), [due(running)], DUE);
    expect(plan).toMatchObject({ missed: [70], overdue: [7] });
    expect(plan.messages).toHaveLength(1);
  });

  it('says nothing for a deadline met by a step that raced the alert, withdrawn, or not run at all', () => {
    for (const d of [{ ...running, metAt: before }, { ...running, supersededAt: before }, null]) {
      expect(planDeadlineAlerts(demoOrg(), [due(d)], DUE)).toMatchObject({ alertIds: [1], missed: [], overdue: [], events: [], messages: [], alerts: [] });
    }
  });
});
