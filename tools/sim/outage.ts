/**
 * A cold snap (npm run simulate -- --outage HX-XI02): the station fails, and its communities'
 * households write about the cold within `outageMinutes`, played in `outageWallS` seconds of wall
 * time: a trickle first, then the flood as people wake (arrival i of N at wall time W·√(i/N)).
 * They write in varied words; some urge, some say more, a few have a leak in the flat (which must
 * be filed and dispatched as usual). The register has far fewer customers in three communities
 * than a station serves, so the cast brings its own: households of those communities imported
 * through POST /api/customers/import beside the demo register, as an operator would.
 *
 * The centre's staff in Slack (OutageDesk) declare the incident from the automatic proposal when
 * one appears (its incident.declare button); when none has come after `declareAfter` reports
 * from the station, the simulator says so and declares by /incident. Once the card is up and half
 * the households have written, they move the expected time once (incident.update); when everyone
 * has written, they restore it (incident.restore). The residents then answer 暖气恢复了吗: most
 * 恢复了 (the rating follows), a few 还不热 (the report reopens and goes to the branch as usual).
 */
import type { Org } from '../../src/core/org/org.js';
import type { FakeSlackMessage } from '../dev/fake-slack-api.js';
import { LEAKS } from './play.js';
import { seeded } from './random.js';
import type { ResidentPlan, SimResident } from './resident.js';
import { buttonsOf } from './telegram-side.js';
import { type Limit, sleep, until } from './wait.js';
import type { World } from './world.js';

/** How people in a cold flat put it (the trained classifier reads each as no heat). */
export const COLD_WORDS = [
  '暖气不热，室温只有15度',
  '家里暖气突然不热了',
  '暖气片一直是凉的',
  '屋里太冷了，暖气不热',
  '半夜暖气就凉了，家里有小孩',
  '暖气停了吗？一点都不热',
  '我们整栋楼暖气都不热',
  '暖气温度太低了，冻得睡不着',
  '家里冷得很，暖气摸着是凉的',
  '暖气不热了，室温14度',
  '早上起来暖气就不热了',
  '卧室暖气冰凉，老人在家',
];
/** More words on a linked report. */
export const COLD_MORE = ['补充：家里有老人和孩子，特别冷', '补充一下，客厅和卧室都不热', '室温只有13度了'];
/** Urging while the station is being repaired. */
export const COLD_URGE = ['怎么还没来热', '暖气什么时候能恢复？', '催一下，到底什么时候来暖气'];

export interface OutagePlan {
  station: string;
  communities: string[];
  branchIds: string[];
  /** the households imported for the run (CSV with the register's columns) */
  customersCsv: string;
  residents: (ResidentPlan & { stillCold: boolean })[];
}

const FIRST_OUTAGE_USER = 760_000_000;
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = ['秀兰', '建国', '桂英', '志强', '海燕', '丽娟', '国华', '春梅', '德胜', '玉珍', '红霞', '振华'];

/** The station's communities and the households who will write, all from the seed. */
export function planOutage(
  org: Org,
  o: {
    outage: string;
    outageResidents: number;
    seed: number;
    outageLeakShare: number;
    outageUrgeShare: number;
    outageFollowUpShare: number;
    stillColdShare: number;
  },
): OutagePlan {
  const communities = [...org.communities.values()].filter((c) => c.stations.includes(o.outage));
  if (!communities.length) {
    const known = [...new Set([...org.communities.values()].flatMap((c) => c.stations))].sort();
    throw new Error(`no community of the organisation is served by station ${o.outage} (stations: ${known.join(', ')})`);
  }
  if (o.outageResidents > 10_000) throw new Error('at most 10,000 residents in an outage');
  const random = seeded(o.seed).fork('outage');
  const rows = ['account,name,phone,address,community,building,unit,room,area_m2'];
  const residents: OutagePlan['residents'] = [];
  for (let i = 0; i < o.outageResidents; i++) {
    const c = communities[i % communities.length];
    const building = 1 + (Math.floor(i / communities.length) % 40);
    const unit = 1 + (i % 6);
    const room = `${1 + (Math.floor(i / 240) % 18)}0${1 + (i % 4)}`;
    const account = `${o.outage}-${String(i).padStart(5, '0')}`;
    const phone = `13${String(100_000_000 + ((o.seed * 7919 + i * 104_729) % 900_000_000)).slice(0, 9)}`;
    const name = `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 7) % GIVEN.length]}`;
    rows.push(
      `${account},${name},${phone},${c.name}${building}号楼${unit}单元${room}室,${c.id},${building},${unit},${room},${(60 + random.int(90)).toFixed(1)}`,
    );
    const leak = random.chance(o.outageLeakShare);
    const urge = !leak && random.chance(o.outageUrgeShare);
    const followUp = !leak && random.chance(o.outageFollowUpShare);
    residents.push({
      index: i,
      user: { id: FIRST_OUTAGE_USER + o.seed * 10_000 + i, is_bot: false, first_name: `住户${i + 1}`, language_code: 'zh-hans' },
      account,
      last4: phone.slice(-4),
      sentence: leak ? random.pick(LEAKS) : random.pick(COLD_WORDS),
      leak,
      unhappy: false,
      followUp,
      urge,
      more: random.pick(COLD_MORE),
      urging: random.pick(COLD_URGE),
      stillCold: !leak && random.chance(o.stillColdShare),
    });
  }
  return {
    station: o.outage,
    communities: communities.map((c) => c.id),
    branchIds: [...new Set(communities.map((c) => c.branchId))],
    customersCsv: `${rows.join('\n')}\n`,
    residents,
  };
}

/**
 * Wall-clock ms after the outage began at which resident i of n writes. The first `trickle`
 * households (the early risers) write evenly over `trickleS`, played at the service's own pace:
 * its proposal sweep runs once a real minute, which the compressed flood would otherwise outrun
 * (30 minutes in 90 s make a minute of the service's half an hour of the residents'). The rest
 * follow over `wallS`, few at first and then many (the k-th of m at wallS·√(k/m)).
 */
export function arrivalMs(i: number, n: number, wallS: number, trickle = 0, trickleS = 0): number {
  if (i < trickle) return trickle <= 1 ? 0 : (i / (trickle - 1)) * trickleS * 1000 * 0.95;
  const k = i - trickle;
  const m = n - trickle;
  return trickleS * 1000 + (m <= 1 ? 0 : Math.sqrt(k / (m - 1)) * wallS * 1000);
}

/** What the desk did, and when (ms since the epoch), for the report. */
export interface DeskLog {
  proposalSeenAt?: number;
  declaredBy?: 'proposal' | 'command';
  declareClickedAt?: number;
  /** station reports filed when the desk declared */
  reportsAtDeclare?: number;
  updatedAt?: number;
  restoreClickedAt?: number;
  notes: string[];
  refusals: string[];
}

interface IncidentRow {
  id: number;
  number: string;
  status: string;
  declaredAt: Date;
  restoredAt: Date | null;
  version: number;
  expectedAt: Date | null;
}

/**
 * The centre's people in Slack during the outage. `tick()` looks at the channels and the incident
 * and starts the next step that is due; one step at a time, each bounded.
 */
export class OutageDesk {
  readonly log: DeskLog = { notes: [], refusals: [] };
  incident: IncidentRow | null = null;
  private busy = false;
  private declared = false;
  private updated = false;
  private restored = false;
  private tries = { declare: 0, update: 0, restore: 0 };
  private lastTry = 0;
  /** a centre agent who may declare (the organisation's first with a Slack id) */
  readonly agent: { slack: string; name: string };

  constructor(
    private readonly world: World,
    private readonly plan: OutagePlan,
    private readonly o: {
      declareAfter: number;
      residents: SimResident[];
      /** every outage resident has written (and said what more they had to say) */
      intakeDone: () => boolean;
      stopped: () => boolean;
      say: (line: string) => void;
      limit: Limit;
    },
  ) {
    const agent = [...world.org.staff.values()].find((s) => s.role === 'centre_agent' && s.slackUserId);
    if (!agent) throw new Error('the organisation has no centre agent with a Slack id to declare the incident');
    this.agent = { slack: agent.slackUserId!, name: agent.name };
  }

  get restoredDone(): boolean {
    return this.restored;
  }

  /** The channels a proposal may appear in: the centre's triage channel and the station's branches' urgent channels. */
  private proposalChannels(): string[] {
    const org = this.world.org;
    return [org.config.centre.channels.triage, ...this.plan.branchIds.map((b) => org.branches.get(b)?.channels.urgent)].filter((c): c is string => Boolean(c));
  }

  tick(): void {
    if (this.busy || this.o.stopped()) return;
    this.busy = true;
    void this.o.limit
      .run(() => this.step())
      .catch((e) => this.log.notes.push(`desk: ${(e as Error).message}`))
      .finally(() => {
        this.busy = false;
      });
  }

  private async readIncident(): Promise<IncidentRow | null> {
    const rows = await this.world.db.incident.findMany({ orderBy: { id: 'asc' } });
    return rows.find((r) => (JSON.parse(r.communityIds) as string[]).some((c) => this.plan.communities.includes(c))) ?? null;
  }

  private async step(): Promise<void> {
    this.incident = await this.readIncident();
    const now = Date.now();
    if (!this.declared) {
      if (this.incident) {
        this.declared = true;
        this.log.notes.push(`incident ${this.incident.number} declared (${this.log.declaredBy ?? 'outside the desk'})`);
        return;
      }
      if (now - this.lastTry < 5000) return;
      const proposal = this.proposal();
      if (proposal) {
        this.log.proposalSeenAt ??= now;
        return this.declareFromProposal(proposal);
      }
      const reports = await this.stationReports();
      if (reports >= this.o.declareAfter) {
        if (!this.log.declaredBy)
          this.o.say(`no automatic proposal in Slack after ${reports} reports from ${this.plan.station}: ${this.agent.name} declares by /incident`);
        return this.declareByCommand(reports);
      }
      return;
    }
    const inc = this.incident!;
    if (!this.updated && inc.version > 0 && this.log.updatedAt) {
      this.updated = true;
      return;
    }
    const filed = this.o.residents.filter((r) => r.filed).length;
    if (!this.updated && filed >= this.o.residents.length / 2 && now - this.lastTry > 5000) return this.update(inc);
    if (this.updated && !this.restored && this.o.intakeDone() && now - this.lastTry > 5000) {
      if (inc.status === 'restored') {
        this.restored = true;
        return;
      }
      return this.restore(inc);
    }
  }

  /** Reports from the station's communities so far (the desk sees them come in). */
  private async stationReports(): Promise<number> {
    return this.world.db.ticket.count({ where: { communityId: { in: this.plan.communities } } });
  }

  /** A message in a watched channel with an incident.declare button. */
  private proposal(): { m: FakeSlackMessage; button: any } | undefined {
    for (const channel of this.proposalChannels())
      for (const m of this.world.slack.fake.channelMessages(channel)) {
        const button = buttonOfMessage(m, 'incident.declare');
        if (button) return { m, button };
      }
    return undefined;
  }

  private async declareFromProposal(p: { m: FakeSlackMessage; button: any }): Promise<void> {
    this.lastTry = Date.now();
    this.tries.declare++;
    this.log.declaredBy = 'proposal';
    this.log.declareClickedAt ??= Date.now();
    this.log.reportsAtDeclare ??= await this.stationReports();
    const { answered, triggerId } = await this.world.slack.press(this.agent.slack, p.m, p.button, `${this.agent.name} 点 宣布停热事件`);
    if (!answered) return;
    // the button either declares at once or opens the pre-filled /incident modal
    const view = await until(() => this.world.slack.openedView(triggerId), { timeoutMs: 3000, everyMs: 100, stop: this.o.stopped });
    if (view) await this.submit(view, p.m.channel, (block, el) => incidentField(block, el, this.plan, 'declare'), '提交宣布');
  }

  private async declareByCommand(reports: number): Promise<void> {
    this.lastTry = Date.now();
    this.tries.declare++;
    this.log.declaredBy = 'command';
    this.log.declareClickedAt ??= Date.now();
    this.log.reportsAtDeclare ??= reports;
    const channel = this.world.org.config.centre.channels.triage ?? this.proposalChannels()[0];
    const { answered, triggerId } = await this.world.slack.slash(this.agent.slack, '/incident', '', channel, `${this.agent.name} 输入 /incident`);
    if (!answered) return;
    const view = await until(() => this.world.slack.openedView(triggerId), { timeoutMs: 10_000, everyMs: 100, stop: this.o.stopped });
    if (!view) return void this.log.notes.push('/incident opened no modal');
    await this.submit(view, channel, (block, el) => incidentField(block, el, this.plan, 'declare'), `提交：${this.plan.station} 换热站停热`);
  }

  /** The incident's card in the branch's urgent channel, with its buttons. */
  private card(action: string): { m: FakeSlackMessage; button: any } | undefined {
    for (const b of this.plan.branchIds) {
      const channel = this.world.org.branches.get(b)?.channels.urgent;
      if (!channel) continue;
      for (const m of this.world.slack.fake.channelMessages(channel)) {
        const button = buttonOfMessage(m, action);
        if (button && JSON.stringify(m.blocks ?? []).includes(this.incident?.number ?? '\u0000')) return { m, button };
      }
    }
    return undefined;
  }

  private async update(inc: IncidentRow): Promise<void> {
    const card = this.card('incident.update');
    if (!card) return;
    this.lastTry = Date.now();
    if (++this.tries.update > 6) return void (this.updated = true);
    const { answered, triggerId } = await this.world.slack.press(this.agent.slack, card.m, card.button, `${this.agent.name} 点 更新预计恢复时间`);
    if (!answered) return;
    const view = await until(() => this.world.slack.openedView(triggerId), { timeoutMs: 10_000, everyMs: 100, stop: this.o.stopped });
    if (!view) return;
    const later = new Date(Math.max(inc.expectedAt?.getTime() ?? 0, Date.now()) + 60 * 60_000);
    const res = await this.submit(view, card.m.channel, (block, el) => incidentField(block, el, this.plan, 'update', later), '提交：预计恢复时间推迟一小时');
    if (res?.answered && !res.errors) this.log.updatedAt = Date.now();
  }

  private async restore(inc: IncidentRow): Promise<void> {
    const card = this.card('incident.restore');
    if (!card) return;
    this.lastTry = Date.now();
    if (++this.tries.restore > 6) return;
    this.log.restoreClickedAt ??= Date.now();
    const { answered, triggerId } = await this.world.slack.press(this.agent.slack, card.m, card.button, `${this.agent.name} 点 已恢复供热`);
    if (!answered) return;
    // a confirm dialog is Slack's own; a modal (a note) is submitted as it comes
    const view = await until(() => this.world.slack.openedView(triggerId), { timeoutMs: 2000, everyMs: 100, stop: this.o.stopped });
    if (view) await this.submit(view, card.m.channel, (block, el) => incidentField(block, el, this.plan, 'restore'), '提交：已恢复供热');
    void inc;
  }

  private async submit(
    view: NonNullable<ReturnType<World['slack']['openedView']>>,
    channel: string,
    fill: (block: any, element: any) => unknown,
    label: string,
  ): Promise<{ answered: boolean; errors?: Record<string, string> } | undefined> {
    const res = await this.world.slack.submitState(this.agent.slack, view, stateOf(view.blocks, fill), channel, `${this.agent.name} ${label}`);
    if (res.errors) this.log.refusals.push(`${view.callbackId}: ${JSON.stringify(res.errors)}`);
    return res;
  }
}

/** The button with this action id on a message, if any. */
export function buttonOfMessage(m: Pick<FakeSlackMessage, 'blocks'>, actionId: string): any {
  for (const b of m.blocks ?? []) {
    if (b.type !== 'actions' && b.type !== 'section') continue;
    const els = b.type === 'actions' ? (b.elements ?? []) : b.accessory ? [b.accessory] : [];
    const e = els.find((x: any) => x.type === 'button' && x.action_id === actionId);
    if (e) return { ...e, block_id: b.block_id };
  }
  return undefined;
}

/**
 * A modal's submitted state: every input as the person leaves it (its initial value), except
 * what `fill` answers for (undefined: leave it).
 */
export function stateOf(blocks: any[], fill: (block: any, element: any) => unknown): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const b of blocks) {
    if (b.type !== 'input' || !b.element) continue;
    const e = b.element;
    const given = fill(b, e);
    const v = given !== undefined ? given : initialOf(e);
    out[b.block_id] = { [e.action_id]: { type: e.type, ...(v as object) } };
  }
  return out;
}

function initialOf(e: any): Record<string, unknown> {
  switch (e.type) {
    case 'plain_text_input':
    case 'number_input':
      return { value: e.initial_value ?? null };
    case 'static_select':
    case 'radio_buttons':
    case 'external_select':
      return { selected_option: e.initial_option ?? null };
    case 'multi_static_select':
    case 'multi_external_select':
    case 'checkboxes':
      return { selected_options: e.initial_options ?? [] };
    case 'datepicker':
      return { selected_date: e.initial_date ?? null };
    case 'timepicker':
      return { selected_time: e.initial_time ?? null };
    case 'datetimepicker':
      return { selected_date_time: e.initial_date_time ?? null };
    case 'users_select':
      return { selected_user: e.initial_user ?? null };
    default:
      return {};
  }
}

/** The options of a select (flat, or in option groups). */
function optionsOf(e: any): any[] {
  return [...(e.options ?? []), ...(e.option_groups ?? []).flatMap((g: any) => g.options ?? [])];
}

/** Local (Asia/Shanghai) date and time of an instant, as Slack's pickers carry them. */
function shanghai(at: Date): { date: string; time: string } {
  const s = new Date(at.getTime() + 8 * 3600_000).toISOString();
  return { date: s.slice(0, 10), time: s.slice(11, 16) };
}

/**
 * What the desk enters in the incident modals, by what each input is about (its ids): the
 * station, its scope, the cause, a later expected time; anything else is left as the app filled it.
 */
export function incidentField(block: any, e: any, plan: OutagePlan, step: 'declare' | 'update' | 'restore', later?: Date): unknown {
  const id = `${block.block_id} ${e.action_id}`.toLowerCase();
  const expected = shanghai(later ?? new Date(Date.now() + 3 * 3600_000));
  if (/expect|restor_at|eta/.test(id)) {
    if (e.type === 'datepicker') return { selected_date: expected.date };
    if (e.type === 'timepicker') return { selected_time: expected.time };
    if (e.type === 'datetimepicker') return { selected_date_time: Math.floor((later ?? new Date(Date.now() + 3 * 3600_000)).getTime() / 1000) };
    if (e.type === 'plain_text_input') return { value: `${expected.date} ${expected.time}` };
  }
  if (step !== 'declare') {
    if (/note/.test(id) && e.type === 'plain_text_input') return { value: step === 'update' ? '更换循环泵需要更多时间' : '循环泵已更换，供热恢复' };
    return undefined;
  }
  if (/station/.test(id) && /multi|checkboxes/.test(e.type)) {
    const picked = optionsOf(e).filter((x) => x.value === plan.station || x.value?.endsWith?.(plan.station));
    if (picked.length) return { selected_options: picked };
  }
  if (/communit/.test(id) && /multi|checkboxes/.test(e.type) && !(e.initial_options ?? []).length) {
    // the station names them; leave the communities empty unless the modal needs them
    return undefined;
  }
  if (/scope/.test(id)) {
    const o = optionsOf(e).find((x) => x.value === 'station');
    if (o) return { selected_option: o };
  }
  if (/cause/.test(id) && e.type === 'plain_text_input' && !e.initial_value) return { value: `${plan.station} 换热站循环泵故障` };
  if (/sever/.test(id) && !e.initial_option) {
    const o = optionsOf(e).find((x) => x.value === 'normal');
    if (o) return { selected_option: o };
  }
  return undefined;
}

/**
 * The resident's answer to 暖气恢复了吗 on the restore notice: 恢复了, or 还不热 for those cast
 * so. A tap without the bot's toast is tried again at the next look (at most 6 times).
 */
export async function answerRestoreCheck(r: SimResident, stillCold: boolean, tg: World['tg'], taps: Map<number, number>): Promise<boolean> {
  for (const call of tg.botCalls(r.chatId)) {
    if (call.method !== 'sendMessage') continue;
    const buttons = buttonsOf(call.params);
    const pair = restoreButtons(buttons);
    if (!pair) continue;
    const message = tg.fake.message(r.chatId, Number(call.response.result?.message_id));
    if (!message) continue;
    const id = message.message_id;
    const n = (taps.get(id) ?? 0) + 1;
    if (n > 6) return true;
    taps.set(id, n);
    const b = stillCold ? pair.cold : pair.warm;
    const { delivered, queryId } = await tg.tap(r.plan.user, message, b.callback_data, b.text);
    if (delivered && tg.toast(queryId) !== undefined) return true;
    r.repeats++;
    await sleep(500);
    return false;
  }
  return false;
}

/** The two buttons of 暖气恢复了吗: 恢复了 and 还不热 (told apart by their words). */
export function restoreButtons(
  buttons: { text: string; callback_data: string }[],
): { warm: (typeof buttons)[number]; cold: (typeof buttons)[number] } | undefined {
  // the bot's data: ir:<incident>:h (heat is back) and ir:<incident>:c (still cold)
  const cold = buttons.find((b) => /^ir:\d+:c$/.test(b.callback_data));
  const warm = buttons.find((b) => /^ir:\d+:h$/.test(b.callback_data));
  return cold && warm ? { warm, cold } : undefined;
}

/**
 * The centre's phone callbacks (R8h): a share of linked reports is called back by phone
 * (incidents.phoneSample) and posted as a task in the centre's callbacks channel. An agent takes
 * each task (callback.record), reaches the household and records it satisfied. A task whose
 * button is still there after a while (the click or the modal got lost) is taken again.
 */
export class PhoneCallbacks {
  private readonly tried = new Map<string, number>();
  private readonly busy = new Set<string>();
  /** tasks recorded (the modal was taken) */
  recorded = 0;
  readonly refusals: string[] = [];

  constructor(
    private readonly world: World,
    private readonly agent: { slack: string; name: string },
    private readonly o: { limit: Limit; stopped: () => boolean },
  ) {}

  tick(): void {
    const channel = this.world.org.config.centre.channels.callbacks;
    if (!channel || this.o.stopped()) return;
    for (const m of this.world.slack.fake.channelMessages(channel)) {
      const button = buttonOfMessage(m, 'callback.record');
      if (!button || this.busy.has(m.ts)) continue;
      const at = this.tried.get(m.ts);
      if (at && Date.now() - at < 10_000) continue;
      this.busy.add(m.ts);
      this.tried.set(m.ts, Date.now());
      void this.o.limit
        .run(() => this.record(m, button))
        .catch(() => undefined)
        .finally(() => this.busy.delete(m.ts));
    }
  }

  private async record(m: FakeSlackMessage, button: any): Promise<void> {
    const { answered, triggerId } = await this.world.slack.press(this.agent.slack, m, button, `${this.agent.name} 电话回访`);
    if (!answered) return;
    const view = await until(() => this.world.slack.openedView(triggerId), { timeoutMs: 10_000, everyMs: 100, stop: this.o.stopped });
    if (!view) return;
    const state = stateOf(view.blocks, (b, e) => {
      const pick = (value: string) => ({ selected_option: optionsOf(e).find((x) => x.value === value) ?? null });
      if (b.block_id === 'reached') return pick('yes');
      if (b.block_id === 'satisfaction') return pick('satisfied');
      if (b.block_id === 'note') return { value: '电话回访：暖气已恢复，住户满意' };
      return undefined;
    });
    const res = await this.world.slack.submitState(this.agent.slack, view, state, m.channel, `${this.agent.name} 记录回访：满意`);
    if (res.errors) this.refusals.push(`${view.callbackId}: ${JSON.stringify(res.errors)}`);
    else if (res.answered) this.recorded++;
  }
}
