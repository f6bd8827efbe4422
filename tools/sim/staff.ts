/**
 * A branch's staff in the simulator: they watch their dispatch channel (the fake Slack) and move
 * each card on with its buttons, as people would: the coordinator accepts, a field worker
 * arrives and resolves through the modal. They act only on what a card shows; a click that had
 * no effect (the service was down, Slack did not open the modal) is tried again after a while,
 * and a click on a card that is behind the ticket is refused by the service (stale), harmlessly.
 */
import type { Org } from '../../src/core/org/org.js';
import type { Probe } from './probe.js';
import type { CardView, SlackSide } from './slack-side.js';
import { type Limit, sleep, until } from './wait.js';

export interface Person {
  slack: string;
  name: string;
}

export interface BranchPeople {
  branchId: string;
  channel: string;
  coordinator: Person;
  field: Person;
}

/** The people the simulator plays in each branch (config/demo-org.yaml or any org with Slack ids). */
export function branchPeople(org: Org): BranchPeople[] {
  const out: BranchPeople[] = [];
  for (const b of org.branches.values()) {
    const staff = [...org.staff.values()].filter((s) => s.branchId === b.id && s.slackUserId);
    const coord = staff.find((s) => s.role === 'branch_coordinator') ?? staff[0];
    const field = staff.find((s) => s.role === 'field_staff' && s.onDuty) ?? staff.find((s) => s.role === 'field_staff') ?? coord;
    if (!b.channels.dispatch || !coord || !field) continue;
    out.push({
      branchId: b.id,
      channel: b.channels.dispatch,
      coordinator: { slack: coord.slackUserId!, name: coord.name },
      field: { slack: field.slackUserId!, name: field.name },
    });
  }
  return out;
}

export const RESOLVE_VALUES = {
  result: '已排气并清洗过滤网，暖气恢复正常，室温22度。',
  work_done: '入户检查，暖气片排气，清洗入户过滤网。',
  materials: null,
  fees: null,
  signed: { checked: [] as string[] },
};

interface Tried {
  status: string;
  at: number;
}

export class BranchStaff {
  private readonly busy = new Set<string>();
  private readonly tried = new Map<string, Tried>();
  /** tickets whose resident the coordinator answered in the thread (the app said it went) */
  readonly replied = new Set<string>();
  /** thread replies sent (each once, unless the app did not take it) */
  threadReplies = 0;
  private replySeq = 0;
  private readonly replyTries = new Map<string, number>();
  /** clicks and submissions made */
  actions = 0;
  /** clicks made again because the first one had no effect */
  again = 0;
  /** modals the app did not open in time (Slack refused views.open) */
  modalsMissing = 0;
  /** modal submissions the app refused (response_action: errors): a bug in the simulator or the app */
  readonly refusals: string[] = [];

  constructor(
    readonly people: BranchPeople,
    private readonly slack: SlackSide,
    private readonly probe: Probe,
    private readonly o: {
      limit: Limit;
      stopped: () => boolean;
      retryMs?: number;
      /** the coordinator answers this ticket's resident in the card's thread (before the worker arrives) */
      wantsReply?: (number: string) => boolean;
      /** what they write, in turn */
      replies?: readonly string[];
    },
  ) {}

  /** Looks at the channel and starts the steps that are due (at most `limit` at once, over all branches). */
  tick(): void {
    for (const card of this.slack.cards(this.people.channel)) {
      if (this.busy.has(card.number) || !card.status) continue;
      const now = this.probe.status(card.number);
      // the card is behind the ticket: its update is still owed by the outbox; wait for it
      if (now !== card.status) continue;
      let step: 'accept' | 'arrive' | 'resolve' | 'reply' | null = card.buttons.has('ticket.accept')
        ? 'accept'
        : card.buttons.has('ticket.arrive')
          ? 'arrive'
          : card.buttons.has('ticket.resolve')
            ? 'resolve'
            : null;
      if (!step) continue;
      // an answer to the resident goes before the worker is on site (the ticket is still open when it arrives)
      const reply = step === 'arrive' && !this.replied.has(card.number) && this.o.wantsReply?.(card.number);
      if (reply) step = 'reply';
      const before = this.tried.get(card.number);
      if (before && before.status === now && Date.now() - before.at < (this.o.retryMs ?? 8000)) continue;
      if (before && before.status === now) this.again++;
      this.busy.add(card.number);
      void this.o.limit
        .run(() => this.act(card, step))
        .catch(() => undefined)
        .finally(() => {
          this.busy.delete(card.number);
          // the answer to the resident is not a step: the card's next step follows at once
          if (step !== 'reply') this.tried.set(card.number, { status: card.status!, at: Date.now() });
        });
    }
  }

  private async act(card: CardView, step: 'accept' | 'arrive' | 'resolve' | 'reply'): Promise<void> {
    if (this.o.stopped()) return;
    const { coordinator, field } = this.people;
    this.actions++;
    if (step === 'reply') return this.reply(card);
    if (step === 'accept') return void (await this.slack.click(coordinator.slack, card, 'ticket.accept', `${coordinator.name} 点 接单`));
    if (step === 'arrive') return void (await this.slack.click(field.slack, card, 'ticket.arrive', `${field.name} 点 已到场`));
    const { answered, triggerId } = await this.slack.click(field.slack, card, 'ticket.resolve', `${field.name} 点 办结`);
    if (!answered) return;
    const view = await until(() => this.slack.openedView(triggerId), { timeoutMs: 10_000, everyMs: 100, stop: this.o.stopped });
    if (!view) {
      this.modalsMissing++;
      return;
    }
    this.actions++;
    const res = await this.slack.submit(
      field.slack,
      card.number,
      card.message.channel,
      view,
      RESOLVE_VALUES,
      `${field.name} 提交办结：${RESOLVE_VALUES.result}`,
    );
    if (res.errors) this.refusals.push(`${card.number}: ${JSON.stringify(res.errors)}`);
  }

  /**
   * The coordinator writes to the resident in the card's thread. Done once the app said, only to
   * them, that it went to the resident; otherwise they write again after a while (a new message).
   */
  private async reply(card: CardView): Promise<void> {
    const { coordinator } = this.people;
    const tries = (this.replyTries.get(card.number) ?? 0) + 1;
    this.replyTries.set(card.number, tries);
    // a person writes again when the app did not confirm, twice at most; then the worker just goes
    if (tries > 3) return void this.replied.add(card.number);
    if (tries > 1) this.again++;
    const replies = this.o.replies ?? ['您好，师傅马上到。'];
    const text = replies[this.replySeq % replies.length];
    const eventId = `EvSIM${this.people.branchId}${++this.replySeq}`;
    this.threadReplies++;
    // Slack sends an event again (same event_id) until the app answers 200, at most 3 times
    let ok = false;
    for (let i = 0; i < 4 && !ok && !this.o.stopped(); i++) {
      if (i > 0) await sleep(1000 * i);
      ok = await this.slack.threadReply(coordinator.slack, card, text, eventId, `${coordinator.name} 在线程回复居民：${text}`);
    }
    if (!ok) return;
    const sent = `（${card.number}）`;
    if (await until(() => this.slack.toldUser(coordinator.slack, sent), { timeoutMs: 10_000, everyMs: 100, stop: this.o.stopped }))
      this.replied.add(card.number);
  }
}
