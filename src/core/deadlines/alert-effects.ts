/**
 * What each kind of alert does when it fires (R2 督促, R7, R8h, R27), decided before anything is
 * stored: the sweep stores the plan in the same transaction that marks the alerts fired, so the
 * messages they owe are stored exactly once. A deadline no longer running by the time it fires
 * (met by a step that raced the alert, or withdrawn) does nothing; whether it runs is read from
 * its row (deadline-rows.ts), the same rule the card and the KPIs use.
 */
import { escalationOf } from '../org/branch-rules.js';
import type { Callback, ScheduledAlert } from '../model.js';
import type { Org } from '../org/org.js';
import type { AlertDeadline, AlertTicket, DueAlert, FirePlan } from '../ports/alert-store.js';
import { outboxRow } from '../outbox/enqueue.js';
import { deadlineRunning } from './deadline-rows.js';
import type { ALERT_STAGES, TicketDeadline } from './schedule-alerts.js';
import { botTimeoutAlert, LATER_RATING, WARM_CHECK } from '../tickets/start-callback.js';
import { dutyAt, rosterOnly, type DutyState } from '../duty/duty-at.js';
import { supervisionChannelFor } from '../conduct/conduct-route.js';

type Stage = (typeof ALERT_STAGES)[number];

type Placed = Pick<AlertTicket, 'branchId' | 'unitId' | 'assigneeId' | 'kind' | 'category'>;

/**
 * Who is urged at each level: the assignee (or whoever is on duty for the unit now: duty-at.ts),
 * the coordinator, the branch head, the HQ leader.
 */
function recipients(org: Org, t: Placed, level: number, duty: DutyState): string[] {
  if (!t.branchId)
    return dutyAt(org, duty, { branchId: null, unitId: null })
      .filter((s) => s.role === 'centre_agent')
      .map((s) => s.id);
  if (level === 0) {
    if (t.assigneeId) return [t.assigneeId];
    const unitStaff = t.unitId ? dutyAt(org, duty, { branchId: t.branchId, unitId: t.unitId }) : [];
    return (unitStaff.length ? unitStaff : org.staffOf(t.branchId, 'branch_coordinator')).map((s) => s.id);
  }
  if (level === 1) return org.staffOf(t.branchId, 'branch_coordinator').map((s) => s.id);
  if (level === 2) return org.staffOf(t.branchId, 'leader').map((s) => s.id);
  return org.staffOf(null, 'leader').map((s) => s.id);
}

function channelFor(org: Org, t: Placed, level: number): string | undefined {
  const c = org.config;
  if (level >= 3) return c.centre.channels.leaders;
  // a conduct complaint is urged where the centre investigates it, never in a branch's channel (R31)
  if (!t.branchId) return supervisionChannelFor(org, t) ?? c.centre.channels.triage;
  const branch = org.branches.get(t.branchId);
  const unitChannel = t.unitId ? org.units.get(t.unitId)?.channel : undefined;
  return (level === 0 ? unitChannel : undefined) ?? branch?.channels.dispatch;
}

/** A plan that only marks the alerts fired. */
export const emptyPlan = (alertIds: number[]): FirePlan => ({ alertIds, overdue: [], missed: [], events: [], alerts: [], reports: [], messages: [] });

export const isDeadlineAlert = (a: Pick<ScheduledAlert, 'kind'>) =>
  !a.kind.startsWith('callback_') && !a.kind.startsWith('report_') && !a.kind.startsWith('quote_');

/**
 * What a batch of deadline alerts does (a cold snap makes thousands due at once): every alert
 * of the batch is marked fired, and those whose deadline still runs warn, mark overdue (the
 * ticket, and the deadline's row as missed), log and store their next level of escalation.
 */
export function planDeadlineAlerts(org: Org, due: readonly DueAlert[], now: Date, duty: DutyState = rosterOnly(now)): FirePlan {
  const plan = emptyPlan(due.map((d) => d.alert.id));
  const groups = new Map<string, Due[]>();
  const route = new Map<string, { channel: string | undefined; mention: string[] }>();
  for (const { alert, ticket: t, deadline: row } of due) {
    const [deadline, stage] = alert.kind.split('_') as [TicketDeadline, Stage];
    if (!t || !deadlineRunning(row)) continue;
    const level = { warn: 0, overdue: 1, escalate2: 2, escalate3: 3 }[stage];
    const data = alert.data ? JSON.parse(alert.data) : {};
    // who and where depend only on these, the same for most of a cold snap's batch
    const whoKey = `${t.branchId}|${t.unitId}|${t.assigneeId}|${level}`;
    let who = route.get(whoKey);
    if (!who) {
      who = { channel: channelFor(org, t, level), mention: recipients(org, t, level, duty) };
      route.set(whoKey, who);
    }
    const channel = who.channel;
    if (channel) {
      const d: Due = { alert, channel, payload: { ticketId: t.id, level, stage, deadline, dueAt: data.dueAt, mention: who.mention } };
      const group = `${channel}|${deadline}|${stage}|${level}`;
      const same = groups.get(group);
      if (same) same.push(d);
      else groups.set(group, [d]);
    }
    if (stage === 'overdue') {
      // the resident hears it once per missed deadline: late, sorry, the branch was urged
      if (t.residentChatId)
        plan.messages.push(
          outboxRow(
            { key: `late:${alert.key}`, platform: 'telegram', target: t.residentChatId, kind: 'resident_late', payload: { ticketId: t.id, deadline } },
            now,
          ),
        );
      plan.overdue.push(t.id);
      plan.missed.push((row as AlertDeadline).id);
      plan.events.push({ ticketId: t.id, at: now, type: 'overdue', actor: 'system', note: deadline, data: JSON.stringify({ deadline, dueAt: data.dueAt }) });
      // the next levels, each a set delay after the deadline (the HQ leader only for major events);
      // after downtime they are due at once and fire on the next sweep
      // the branch's own delays where it sets them (九: only ever sooner than the company's)
      const esc = escalationOf(org.config, t.branchId);
      const levels = [{ stage: 'escalate2', after: esc.secondLevelAfterMinutes }];
      if (t.severity === 'major') levels.push({ stage: 'escalate3', after: esc.thirdLevelAfterMinutes });
      for (const n of levels) {
        plan.alerts.push({
          key: alert.key.replace('_overdue:', `_${n.stage}:`),
          ticketId: t.id,
          kind: `${deadline}_${n.stage}`,
          dueAt: new Date(alert.dueAt.getTime() + n.after * 60_000),
          data: alert.data,
        });
      }
    } else if (stage !== 'warn') {
      plan.events.push({
        ticketId: t.id,
        at: now,
        type: 'escalated',
        actor: 'system',
        note: `${deadline}:${level}`,
        data: JSON.stringify({ deadline, level }),
      });
    }
  }
  for (const group of groups.values()) plan.messages.push(...alertMessages(group, now));
  return plan;
}

/** A due alert's message before grouping: its staff_alert payload and where it goes. */
interface Due {
  alert: ScheduledAlert;
  channel: string;
  payload: { ticketId: number; level: number; stage: string; deadline: TicketDeadline; dueAt?: string; mention: string[] };
}

/** From this many alerts of one kind for one channel in a batch, they go as digests. */
export const DIGEST_FROM = 4;
/** Tickets per digest: one line each keeps a message well within Slack's 3,000 characters per section. */
export const DIGEST_SIZE = 20;

/**
 * The messages for the alerts of one channel with the same deadline, stage and level. A cold snap
 * makes thousands due at once and Slack takes about one message a second per channel, so past a
 * few they go as digests of up to DIGEST_SIZE tickets, calling everyone any of them calls.
 */
function alertMessages(group: Due[], now: Date): FirePlan['messages'] {
  if (group.length < DIGEST_FROM) {
    return group.map((d) => outboxRow({ key: `alert:${d.alert.key}`, platform: 'slack', target: d.channel, kind: 'staff_alert', payload: d.payload }, now));
  }
  const rows: FirePlan['messages'] = [];
  for (let i = 0; i < group.length; i += DIGEST_SIZE) {
    const chunk = group.slice(i, i + DIGEST_SIZE);
    const { level, stage, deadline } = chunk[0].payload;
    const payload = {
      level,
      stage,
      deadline,
      tickets: chunk.map((d) => ({ ticketId: d.payload.ticketId, dueAt: d.payload.dueAt })),
      mention: [...new Set(chunk.flatMap((d) => d.payload.mention))],
    };
    // each alert fires once, in the transaction that writes this row, and alert ids are never
    // reused (AUTOINCREMENT, SERIAL): the first one's id makes the key unique and stable
    const key = `alerts:${deadline}:${stage}:${chunk[0].channel}:${chunk[0].alert.id}`;
    rows.push(outboxRow({ key, platform: 'slack', target: chunk[0].channel, kind: 'staff_alert_digest', payload }, now));
  }
  return rows;
}

/**
 * R8h: a callback not answered in time. The bot's question unanswered: a centre agent calls
 * instead. The callback itself overdue: the centre's agents on duty are urged. Either only
 * while the callback is still pending when the alert is stored as fired. `residentChatId` is the
 * chat the sweep read for the ticket's resident: null when Telegram refuses them (they blocked
 * the bot), and then the later question is not asked: the centre calls at once.
 */
export function planCallbackAlert(
  org: Org,
  alert: ScheduledAlert,
  cb: Callback | null,
  now: Date,
  deadline: AlertDeadline | null = null,
  residentChatId?: string | null,
  duty: DutyState = rosterOnly(now),
): FirePlan {
  const plan = emptyPlan([alert.id]);
  if (cb?.status !== 'pending') return plan;
  // the callback's own deadline (opened at the resolve) is missed once its time-out fires unanswered
  if (alert.kind === 'callback_overdue' && deadline && deadlineRunning(deadline)) plan.missed.push(deadline.id);
  const unreachable = residentChatId === null;
  if ((alert.kind === WARM_CHECK || alert.kind === LATER_RATING) && !unreachable) return planLaterQuestion(org, alert, cb, now);
  const channel = org.config.centre.channels.callbacks;
  if (alert.kind === 'callback_bot_timeout' || alert.kind === WARM_CHECK || alert.kind === LATER_RATING) {
    plan.callback = { id: cb.id, toPhone: true };
    if (channel)
      plan.messages.push(
        outboxRow(
          { key: `cbt:${cb.id}`, platform: 'slack', target: channel, kind: 'callback_task', payload: { ticketId: cb.ticketId, callbackId: cb.id } },
          now,
        ),
      );
    return plan;
  }
  plan.callback = { id: cb.id, toPhone: false };
  if (channel) {
    const mention = recipients(org, { branchId: null, unitId: null, assigneeId: null }, 1, duty);
    plan.messages.push(
      outboxRow(
        {
          key: `alert:${alert.key}`,
          platform: 'slack',
          target: channel,
          kind: 'staff_alert',
          payload: { ticketId: cb.ticketId, level: 1, stage: 'overdue', deadline: 'callback', mention },
        },
        now,
      ),
    );
  }
  return plan;
}

/**
 * The resident's question a while after the resolve (start-callback.ts residentAsk): "暖气现在热了
 * 吗？" or the rating, to the chat the alert names, and from now on the bot's time-out runs (a
 * phone callback if they do not answer). Nothing once the callback was answered some other way.
 */
function planLaterQuestion(org: Org, alert: ScheduledAlert, cb: Callback, now: Date): FirePlan {
  const plan = emptyPlan([alert.id]);
  const { chatId } = JSON.parse(alert.data ?? '{}') as { chatId?: string };
  plan.callback = { id: cb.id, toPhone: false };
  if (!chatId) return plan;
  const warm = alert.kind === WARM_CHECK;
  const payload = { ticketId: cb.ticketId, callbackId: cb.id };
  plan.messages.push(
    outboxRow(
      { key: `${warm ? 'warm' : 'cbq'}:${cb.id}`, platform: 'telegram', target: chatId, kind: warm ? 'warm_check' : 'callback_question', payload },
      now,
    ),
  );
  plan.alerts.push(botTimeoutAlert(org, cb.ticketId, cb.id, now));
  return plan;
}
