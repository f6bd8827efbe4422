/**
 * Linking the heating account: `/bind <account> <last 4 digits>` in one go, or step by step
 * (account, then the phone's last four digits, each asked as a question), or one tap on
 * "share my phone number" (a number no customer has is kept for the centre to call back, see
 * share-resident-phone; shared while a leak waits for its address, the account routes it). Wrong pairs and the limits are refused by the core (bind_failed,
 * bind_rate_limited) and worded by the error boundary. An account somebody has bound already
 * waits for their yes: they get Allow / Refuse buttons (answered here), the asker is told to
 * wait and sees the address only once it is yes (delivered through the outbox).
 */
import { Composer } from 'grammy';
import type { User } from 'grammy/types';
import { AppError } from '../../../core/errors.js';
import { answerBindingRequest } from '../../../core/residents/answer-binding-request.js';
import { clarifyReportAddress } from '../../../core/residents/clarify-report-address.js';
import { shareResidentPhone } from '../../../core/residents/share-resident-phone.js';
import type { Asker } from '../../../core/residents/bind-messages.js';
import { bindResident, type BindResult } from '../../../core/residents/bind-resident.js';
import { cb } from '../callback-data.js';
import type { BotContext, BotDeps } from '../context.js';
import { waitingQuestion } from '../conversation.js';
import { answers, answerText } from '../prompt-filter.js';
import { branchName } from '../render.js';
import { askFor, mainMenu } from '../replies.js';

const ACCOUNT = /^[A-Za-z0-9-]{4,20}$/;
const BARE_ACCOUNT = /^\s*(\d{8,12})\s*$/;
// A mainland mobile number typed where the account was asked for: typing it proves nothing.
const MOBILE = /^1[3-9]\d{9}$/;
const BIND_ANSWER = /^ba:(\d{1,10}):([yn])$/;
const MAX_ID = 2_147_483_647;

/** How a person shows on Telegram, for the account's residents to recognise them. */
export function asker(from: User): Asker {
  const name = [from.first_name, from.last_name].filter(Boolean).join(' ');
  return { name: from.username ? `${name} (@${from.username})` : name };
}

export function bindFeature({ core }: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();

  async function bound(ctx: BotContext, r: BindResult) {
    if (r.status === 'waiting') return void (await ctx.reply(ctx.t('bind.waiting', { account: r.account })));
    ctx.resident = r.resident;
    await ctx.reply(ctx.t('bind.ok', { account: r.customer.account, address: r.customer.address }), { reply_markup: mainMenu(ctx.locale, true) });
  }

  async function askPhone(ctx: BotContext, account: string) {
    if (MOBILE.test(account)) return void (await ctx.reply(ctx.t('bind.looks_like_phone')));
    if (!ACCOUNT.test(account)) return void (await askFor(ctx, 'bind_account', {}, 'bind.account_placeholder'));
    await askFor(ctx, 'bind_phone', { account }, 'bind.phone_placeholder');
  }

  c.command('bind', async (ctx) => {
    const [account, last4] = ctx.match.trim().split(/\s+/).filter(Boolean);
    if (account && last4) return bound(ctx, await bindResident(core, { residentId: ctx.resident.id, account, phoneLast4: last4, asker: asker(ctx.from!) }));
    if (account) return askPhone(ctx, account);
    await askFor(ctx, 'bind_account', {}, 'bind.account_placeholder');
  });

  c.callbackQuery(cb.bind, async (ctx) => {
    await ctx.answerCallbackQuery();
    await askFor(ctx, 'bind_account', {}, 'bind.account_placeholder');
  });

  // A resident bound to the account answers another one's request: once, by whoever taps first.
  c.callbackQuery(BIND_ANSWER, async (ctx) => {
    const attemptId = Number(ctx.match[1]);
    if (attemptId > MAX_ID) throw new AppError('bind_request_expired', `no bind request ${ctx.match[1]}`);
    const r = await answerBindingRequest(core, { attemptId, residentId: ctx.resident.id, allow: ctx.match[2] === 'y', answerer: asker(ctx.from) });
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(ctx.t(r.allowed ? 'bind.request_allowed' : 'bind.request_refused', { account: r.request.account }));
  });

  c.filter(answers('bind_account'), async (ctx) => {
    const account = answerText(ctx).trim();
    if (!ACCOUNT.test(account) || MOBILE.test(account)) {
      await ctx.reply(ctx.t('bind.not_account'));
      return void (await askFor(ctx, 'bind_account', {}, 'bind.account_placeholder'));
    }
    await askPhone(ctx, account);
  });

  c.filter(answers('bind_phone'), async (ctx) => {
    const last4 = answerText(ctx).replace(/\D/g, '').slice(-4);
    const account = ctx.prompt.vars.account.trim();
    await bound(ctx, await bindResident(core, { residentId: ctx.resident.id, account, phoneLast4: last4, asker: asker(ctx.from!) }));
  });

  c.on('message:contact', async (ctx) => {
    const contact = ctx.message.contact;
    // Only the sender's own contact proves the number: anyone can forward someone else's card.
    if (contact.user_id !== ctx.from.id) return void (await ctx.reply(ctx.t('bind.not_own_contact')));
    const r = await shareResidentPhone(core, { residentId: ctx.resident.id, phone: contact.phone_number, asker: asker(ctx.from) });
    if (r.status === 'ambiguous') return void (await ctx.reply(ctx.t('bind.ambiguous', { count: r.count })));
    const asking = waitingQuestion(ctx.session, ctx.conversationAt);
    if (r.status === 'noted') {
      // a question about the address still waits: the keyboard's button is spent, the question is not
      const where = asking?.key === 'address' || asking?.key === 'paid_address' || asking?.key === 'clarify_address';
      ctx.resident = { ...ctx.resident, phone: r.phone };
      return void (await ctx.reply(ctx.t(where ? 'conversation.phone_noted_asking' : 'conversation.phone_noted', { phone: r.phone })));
    }
    await bound(ctx, r);
    // the account says where the resident lives: a leak filed first is routed there now
    if (asking?.key === 'clarify_address' && asking.vars.number) {
      delete ctx.session.pending;
      const c = await clarifyReportAddress(core, {
        residentId: ctx.resident.id,
        number: asking.vars.number,
        communityId: r.customer.communityId,
        address: r.customer.address,
      });
      if (c.outcome === 'dispatched') {
        const community = core.org.communities.get(r.customer.communityId)?.name ?? '';
        const branch = branchName(core.org, c.ticket.branchId, ctx.locale);
        await ctx.reply(ctx.t('conversation.clarified', { number: c.ticket.number, community, address: r.customer.address, branch }));
      }
    }
  });

  // An unbound resident who just sends a number that looks like an account wants to link it.
  c.hears(BARE_ACCOUNT, async (ctx, next) => {
    if (ctx.resident.customerId !== null) return next();
    await askPhone(ctx, ctx.match[1]);
  });

  return c;
}
