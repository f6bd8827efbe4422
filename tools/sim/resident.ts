/**
 * A resident in the simulator: links their heating account (/bind), reports in one sentence
 * (tapping ✅ 提交 on the bot's proposal; a leak is filed at once), and answers the callback
 * question with a tap. They behave like people: when the bot says nothing back (its reply failed
 * after its retries, the service was restarting), they write again, or ask /status whether their
 * report went in before writing it again. Every loop here is bounded.
 */
import type { FakeTelegramCall, FakeTelegramMessage } from '../dev/fake-telegram-api.js';
import { t } from '../../src/i18n/index.js';
import { buttonsOf, type SimUser, type TelegramSide } from './telegram-side.js';
import { sleep } from './wait.js';

export interface ResidentPlan {
  index: number;
  user: SimUser;
  account: string;
  last4: string;
  sentence: string;
  leak: boolean;
  unhappy: boolean;
  /** once filed: writes `more` on the open ticket, then sends a photo of it */
  followUp?: boolean;
  /** once filed: urges (`urging`) */
  urge?: boolean;
  /** staff answer this resident's ticket in the card's thread */
  staffReply?: boolean;
  more?: string;
  urging?: string;
  /** during an incident the bot may answer urging and more words with the incident's state: any answer will do */
  anyAnswer?: boolean;
}

/** The fixed start of a zh-CN bot text (up to its first placeholder): enough to recognise it. */
export function opening(key: string): string {
  return t('zh-CN', `telegram.${key}`).split('{')[0];
}

const BIND_OK = opening('bind.ok');
const FILED = opening('report.filed');
// the tapped proposal becomes the receipt "✅ 已提交：… · 工单 T…" (a report linked to an incident is answered with the incident's news instead of report.filed)
const RECEIPT = opening('conventions.receipt');
const LINKED = opening('incident.reply.linked');
const ALREADY_FILED = opening('report.already_filed');
const STATUS_LIST = opening('status.list_title');
const STATUS_NONE = opening('status.none');
const RATING_THANKS = opening('rating.thanks');
// a tap on a rating that does nothing is answered alike, whatever the reason (rating.ts: rating.inactive)
const RATING_DONE = [opening('rating.inactive')];
const WARM_NOTED = [opening('loop.warm.hot_noted'), opening('loop.warm.inactive')];
const WARM = /^wc:(\d+):([hc])$/;
const TICKET = /([TSQP]\d{8}-\d{4,})/;
const ADDED = opening('followup.added');
const PHOTO_ADDED = opening('report.photo_added');
const URGED = [opening('followup.urged'), opening('followup.urged_recently')];

const TRIES = 6;
const MAX_TAPS_PER_QUESTION = 12;

function textOf(c: FakeTelegramCall): string {
  return String(c.params.text ?? c.params.caption ?? '');
}

export class SimResident {
  bound = false;
  filed = false;
  /** ticket numbers the bot told this resident */
  readonly numbers = new Set<string>();
  /** callback ids answered (or known to be answered) */
  readonly answered = new Set<number>();
  /** warm-check questions answered (callback ids) */
  readonly warmAnswered = new Set<number>();
  private readonly taps = new Map<number, number>();
  private unhappyUsed = false;
  /** follow-ups the bot said it added to the ticket ("已补充到工单 …"), photos it attached, urgings it took */
  readonly conversation = { followUps: 0, photos: 0, urges: 0 };
  /** times the person had to say something again because the bot did not answer */
  repeats = 0;
  /** why this resident stopped short of the whole loop */
  gaveUp?: string;

  constructor(
    readonly plan: ResidentPlan,
    private readonly tg: TelegramSide,
    private readonly stopped: () => boolean,
  ) {}

  get chatId(): number {
    return this.plan.user.id;
  }

  /** /bind <account> <last 4 digits>, until the bot confirms. */
  async bind(): Promise<boolean> {
    for (let i = 0; i < TRIES && !this.stopped(); i++) {
      if (i > 0) await this.pause(i);
      const { delivered, seq } = await this.tg.say(this.plan.user, `/bind ${this.plan.account} ${this.plan.last4}`);
      if (delivered && this.said(seq, (s) => s.startsWith(BIND_OK))) {
        this.bound = true;
        return true;
      }
    }
    this.gaveUp = 'bind not confirmed';
    return false;
  }

  /** The report, until the bot has confirmed it (or /status shows it). */
  async report(): Promise<boolean> {
    const filed = await this.reportUntilFiled();
    if (filed) this.filed = true;
    return filed;
  }

  private async reportUntilFiled(): Promise<boolean> {
    for (let i = 0; i < TRIES && !this.stopped(); i++) {
      if (i > 0) await this.pause(i);
      const { delivered, message, seq } = await this.tg.say(this.plan.user, this.plan.sentence);
      if (this.filedSince(seq)) return true;
      if (this.plan.leak) {
        // a leak is filed at once: without an answer, look before writing it again
        if (await this.hasOpenTicket()) return true;
        continue;
      }
      if (!delivered) continue;
      const proposal = this.proposalFor(message, seq);
      if (!proposal) continue; // no proposal came back: the person writes again
      if (await this.submit(proposal)) return true;
      if (await this.hasOpenTicket()) return true;
    }
    this.gaveUp = 'report not confirmed';
    return false;
  }

  /**
   * After filing, some residents say more: words on the open ticket (answered "已补充到工单 …"; if
   * the bot asks which ticket, the open one), then a photo of it; some urge ("怎么还没人来"). A
   * message that did not get through is sent again; one the bot took is not (it is on the ticket).
   */
  async converse(): Promise<void> {
    if (this.plan.followUp && this.plan.more) {
      if (await this.untilAnswered(() => this.tg.say(this.plan.user, this.plan.more!), ADDED)) this.conversation.followUps++;
      if (await this.untilAnswered(() => this.tg.photo(this.plan.user, `sim-photo-${this.chatId}`), PHOTO_ADDED)) this.conversation.photos++;
    }
    if (this.plan.urge && this.plan.urging) {
      if (await this.untilAnswered(() => this.tg.say(this.plan.user, this.plan.urging!), ...URGED)) this.conversation.urges++;
    }
  }

  /** Sends until the update gets through; true when the bot's answer has one of `answers` (or it was added after "which ticket?"). */
  private async untilAnswered(send: () => Promise<{ delivered: boolean; seq: number }>, ...answers: string[]): Promise<boolean> {
    for (let i = 0; i < TRIES && !this.stopped(); i++) {
      if (i > 0) await this.pause(i);
      const { delivered, seq } = await send();
      if (!delivered) continue;
      if (this.said(seq, (s) => answers.some((a) => s.includes(a)) || (this.plan.anyAnswer === true && s.length > 0))) return true;
      // "补充到 T… / 这是新问题": it is about the open ticket
      const which = this.tg
        .botCalls(this.chatId, seq)
        .find((c) => c.method === 'sendMessage' && buttonsOf(c.params).some((b) => b.callback_data.startsWith('fu:')));
      const message = which && this.tg.fake.message(this.chatId, Number(which.response.result?.message_id));
      if (message) {
        const b = buttonsOf(message).find((x) => x.callback_data.startsWith('fu:'))!;
        const tap = await this.tg.tap(this.plan.user, message, b.callback_data, b.text);
        return tap.delivered;
      }
      return false; // it got through, but the bot said something else: the person does not say it again
    }
    return false;
  }

  /** Taps ✅ 提交 until the ticket number comes back, or the bot says it was filed already. */
  private async submit(proposal: FakeTelegramMessage): Promise<boolean> {
    for (let i = 0; i < TRIES && !this.stopped(); i++) {
      if (i > 0) await this.pause(i);
      const now = this.tg.fake.message(this.chatId, proposal.message_id) ?? proposal;
      const buttons = buttonsOf(now).filter((b) => b.callback_data.startsWith('ro:'));
      const submit = buttons.find((b) => b.callback_data === 'ro:complaint:no_heat') ?? buttons[0];
      if (!submit) return false; // the buttons are gone: it went through, or it never will
      const { delivered, queryId, seq } = await this.tg.tap(this.plan.user, now, submit.callback_data, submit.text);
      if (!delivered) continue;
      if (this.filedSince(seq)) return true;
      if (this.tg.toast(queryId)?.startsWith(ALREADY_FILED)) return true;
    }
    return false;
  }

  /** One look at the chat: taps an answer on every callback question not answered yet. */
  async rate(): Promise<void> {
    for (const call of this.tg.botCalls(this.chatId)) {
      if (call.method !== 'sendMessage') continue;
      await this.warmCheck(call);
      const rating = buttonsOf(call.params).filter((b) => /^cb:\d+:[sfd]$/.test(b.callback_data));
      if (!rating.length) continue;
      const id = Number(rating[0].callback_data.split(':')[1]);
      if (this.answered.has(id) || this.stopped()) continue;
      const taps = (this.taps.get(id) ?? 0) + 1;
      if (taps > MAX_TAPS_PER_QUESTION) continue;
      this.taps.set(id, taps);
      const message = this.tg.fake.message(this.chatId, Number(call.response.result?.message_id));
      if (!message) continue;
      const code = this.plan.unhappy && !this.unhappyUsed ? 'd' : 's';
      const button = rating.find((b) => b.callback_data.endsWith(`:${code}`))!;
      const { delivered, queryId } = await this.tg.tap(this.plan.user, message, button.callback_data, button.text);
      if (!delivered) continue;
      const toast = this.tg.toast(queryId);
      if (toast?.startsWith(RATING_THANKS)) {
        this.answered.add(id);
        if (code === 'd') this.unhappyUsed = true;
      } else if (toast && RATING_DONE.some((p) => toast.startsWith(p))) {
        this.answered.add(id);
      }
      // no toast: the bot's answer failed; the next look taps again (a second answer is refused politely)
    }
  }

  /**
   * "暖气现在热了吗？" a while after the resolve: the radiators are warm (the rating buttons come
   * next). A tap without a toast is tried again at the next look; the toast says it was noted.
   */
  private async warmCheck(call: FakeTelegramCall): Promise<void> {
    const hot = buttonsOf(call.params).find((b) => WARM.exec(b.callback_data)?.[2] === 'h');
    if (!hot || this.stopped()) return;
    const id = Number(WARM.exec(hot.callback_data)![1]);
    if (this.warmAnswered.has(id)) return;
    const taps = (this.taps.get(-id) ?? 0) + 1;
    if (taps > MAX_TAPS_PER_QUESTION) return;
    this.taps.set(-id, taps);
    const message = this.tg.fake.message(this.chatId, Number(call.response.result?.message_id));
    if (!message) return;
    const { delivered, queryId, seq } = await this.tg.tap(this.plan.user, message, hot.callback_data, hot.text);
    const toast = delivered ? this.tg.toast(queryId) : undefined;
    if (!toast) return;
    if (toast.startsWith(WARM_NOTED[1])) return void this.warmAnswered.add(id); // answered before
    // "太好了！" and then the rating buttons, sent by the bot while it answers the tap; when they do
    // not come (Telegram refused them), the person taps 🔥 热了 again at the next look
    const rating = this.tg
      .botCalls(this.chatId, seq)
      .some((c) => c.method === 'sendMessage' && buttonsOf(c.params).some((b) => b.callback_data.startsWith(`cb:${id}:`)));
    if (toast.startsWith(WARM_NOTED[0]) && rating) this.warmAnswered.add(id);
    else if (toast.startsWith(WARM_NOTED[0])) this.repeats++;
  }

  /**
   * Rating questions seen and not answered yet. (A warm-check question needs no count of its own:
   * its ticket waits in callback until the rating after it is answered.)
   */
  get unanswered(): number {
    let n = 0;
    for (const call of this.tg.botCalls(this.chatId)) {
      if (call.method !== 'sendMessage') continue;
      const b = buttonsOf(call.params).find((x) => /^cb:\d+:[sfd]$/.test(x.callback_data));
      if (b && !this.answered.has(Number(b.callback_data.split(':')[1]))) n++;
    }
    return n;
  }

  /** /status: does the bot list an open ticket? undefined when it did not answer. */
  private async hasOpenTicket(): Promise<boolean | undefined> {
    for (let i = 0; i < 3 && !this.stopped(); i++) {
      if (i > 0) await this.pause(i);
      const { delivered, seq } = await this.tg.say(this.plan.user, '/status');
      if (!delivered) continue;
      const said = this.tg
        .botCalls(this.chatId, seq)
        .filter((c) => c.method === 'sendMessage')
        .map(textOf);
      const list = said.find((s) => s.startsWith(STATUS_LIST));
      if (list) {
        for (const m of list.matchAll(new RegExp(TICKET, 'g'))) this.numbers.add(m[1]);
        return true;
      }
      if (said.some((s) => s.startsWith(STATUS_NONE))) return false;
    }
    return undefined;
  }

  private proposalFor(message: FakeTelegramMessage, seq: number): FakeTelegramMessage | undefined {
    for (const c of this.tg.botCalls(this.chatId, seq)) {
      if (c.method !== 'sendMessage') continue;
      const replyTo = (c.params.reply_parameters as { message_id?: number } | undefined)?.message_id;
      if (replyTo !== message.message_id) continue;
      if (!buttonsOf(c.params).some((b) => b.callback_data.startsWith('ro:'))) continue;
      return this.tg.fake.message(this.chatId, Number(c.response.result?.message_id));
    }
    return undefined;
  }

  private filedSince(seq: number): boolean {
    for (const c of this.tg.botCalls(this.chatId, seq)) {
      if (c.method === 'editMessageText' && textOf(c).startsWith(RECEIPT)) {
        const m = TICKET.exec(textOf(c));
        if (m) {
          this.numbers.add(m[1]);
          return true;
        }
      }
      if (c.method !== 'sendMessage') continue;
      const text = textOf(c);
      const at = Math.max(text.indexOf(FILED), text.indexOf(LINKED));
      if (at < 0) continue;
      const m = TICKET.exec(text.slice(at));
      if (m) this.numbers.add(m[1]);
      return true;
    }
    return false;
  }

  private said(seq: number, match: (text: string) => boolean): boolean {
    return this.tg.botCalls(this.chatId, seq).some((c) => c.method === 'sendMessage' && match(textOf(c)));
  }

  /** A person waits a moment before trying again, a little longer each time. */
  private pause(i: number): Promise<void> {
    this.repeats++;
    return sleep(Math.min(500 * i, 3000));
  }
}
