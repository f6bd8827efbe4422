/**
 * Filing a resident's report, and the one thing the bot may have to ask first: where they live.
 * A bound resident's flat is known; anyone else is asked once for their community and flat,
 * which is kept on their Resident row for later reports (unverified, see file-resident-report).
 */
import { Composer } from 'grammy';
import type { Category, Scope, Severity, TicketKind } from '../../../core/domain.js';
import { fileResidentReport, needsAddress, residentHasAddress } from '../../../core/residents/file-resident-report.js';
import { setResidentAddress } from '../../../core/residents/set-resident-address.js';
import { CATEGORIES, TICKET_KINDS } from '../../../core/domain.js';
import { LOCALES } from '../../../i18n/index.js';
import { isAppError } from '../../../core/errors.js';
import type { Ticket } from '../../../core/model.js';
import { filedReplyKey } from '../../../core/tickets/create-ticket.js';
import type { BotContext, BotDeps } from '../context.js';
import { tt } from '../context.js';
import { answers, answerText } from '../prompt-filter.js';
import { receiptOf } from '../dedupe.js';
import { askFor, onceKey, replyLong } from '../replies.js';
import { categoryLabel, filedReply, kindLabel } from '../render.js';

export interface Draft {
  kind: TicketKind;
  category: Category;
  severity?: Severity;
  scope?: Scope;
  description: string;
  photos?: string[];
  paidMaterials?: 'company' | 'own';
  /** the message the filed reply answers */
  replyTo?: number;
  /** the caller words the answer itself */
  quiet?: boolean;
  /**
   * filed at most once per key (replies.onceKey): a second filing is refused with already_filed.
   * The update's own receipt (dedupe.ts) always goes with it.
   */
  onceKey?: string;
}

const MAX_DESCRIPTION = 4000;

/** A category from its label in any language (read back from a question the bot asked). */
export function categoryFromLabel(label: string | undefined): Category | undefined {
  const l = label?.trim();
  return CATEGORIES.find((c) => LOCALES.some((loc) => categoryLabel(loc, c) === l));
}

/** A kind from its label in any language. */
export function kindFromLabel(label: string | undefined): TicketKind | undefined {
  const l = label?.trim();
  return TICKET_KINDS.find((k) => LOCALES.some((loc) => kindLabel(loc, k) === l));
}

/**
 * Files the draft, or asks for the flat first when the report needs one and none is known. The
 * update's receipt commits with the ticket: if this very update filed it before (the process
 * stopped before the update was done, and Telegram delivered it again), nothing is filed or
 * said again, and null comes back as when the flat is asked for.
 */
export async function fileOrAskAddress(ctx: BotContext, deps: BotDeps, draft: Draft): Promise<Ticket | null> {
  if (needsAddress(draft.kind) && !residentHasAddress(ctx.resident)) {
    if (draft.paidMaterials) {
      await askFor(ctx, 'paid_address', { materials: ctx.t(`prices.materials.${draft.paidMaterials}`) }, 'address_placeholder');
    } else {
      if (draft.category === 'leak') {
        await ctx.reply(ctx.t('report.leak_first', { emergencyHotline: deps.core.org.config.company.emergencyHotline }));
      }
      await askFor(
        ctx,
        'address',
        { kind: kindLabel(ctx.locale, draft.kind), category: categoryLabel(ctx.locale, draft.category), text: draft.description.slice(0, 3000) },
        'address_placeholder',
      );
    }
    return null;
  }
  const receipt = receiptOf(ctx);
  const onceKeys = [...(receipt?.keys ?? []), ...(draft.onceKey ? [draft.onceKey] : [])];
  let ticket: Ticket;
  try {
    ticket = await file(ctx, deps, draft, onceKeys);
  } catch (e) {
    if (receipt && isAppError(e, 'already_filed') && (e.context.keys as string[] | undefined)?.includes(receipt.key)) {
      receipt.markStored(onceKeys);
      deps.log.info({ update_id: ctx.update.update_id }, 'telegram report filed by this update before: not filed again');
      return null;
    }
    throw e;
  }
  receipt?.markStored(onceKeys);
  deps.log.info({ ticket: ticket.number, kind: ticket.kind, severity: ticket.severity, residentId: ctx.resident.id }, 'telegram report filed');
  if (!draft.quiet) await confirmFiled(ctx, deps, ticket, draft.replyTo);
  return ticket;
}

function file(ctx: BotContext, deps: BotDeps, draft: Draft, onceKeys: string[]): Promise<Ticket> {
  return fileResidentReport(deps.core, {
    residentId: ctx.resident.id,
    resident: ctx.resident,
    kind: draft.kind,
    category: draft.category,
    severity: draft.severity,
    scope: draft.scope,
    description: draft.description.slice(0, MAX_DESCRIPTION),
    photos: draft.photos,
    paidMaterials: draft.paidMaterials,
    contactName: [ctx.from?.first_name, ctx.from?.last_name].filter(Boolean).join(' ') || undefined,
    onceKeys,
    replyTo: draft.replyTo,
    confirmation: draft.quiet ? undefined : { replyTo: draft.replyTo, locale: ctx.locale },
  });
}

/**
 * R3: the resident hears the number at once, in the chat. The same answer was owed through the
 * outbox with the ticket, held back a little (FILED_REPLY_GRACE_MS): once the bot's reply is out
 * it is marked delivered; if Telegram refuses the reply (a bot may send about 30 messages a
 * second, and a cold snap brings more) or cannot be reached, it is due at once instead, and the
 * outbox retries until it is out. A process that stops between the ticket and the reply leaves
 * it owed too, so the resident is never left without their number.
 */
async function confirmFiled(ctx: BotContext, deps: BotDeps, ticket: Ticket, replyTo?: number): Promise<void> {
  const { core } = deps;
  const key = filedReplyKey(ticket.id);
  try {
    await replyLong(ctx, filedReply(core.org, ticket, ctx.locale, core.clock.now()), { reply_to: replyTo });
  } catch (e) {
    deps.log.warn({ ticket: ticket.number, err: (e as Error).message }, 'telegram refused the filed reply: it goes by the outbox');
    await core.stores.outbox.dueNow(key, core.clock.now());
    deps.kick?.();
    return;
  }
  if (!(await core.stores.outbox.deliveredElsewhere(key, core.clock.now()))) {
    deps.log.warn({ ticket: ticket.number }, 'the filed reply went out after the outbox had taken it: the resident may hear the number twice');
  }
}

/**
 * Files the draft once per key (a tap or an answer that may come twice); false when it was filed
 * already by another update (true when by this one: see fileOrAskAddress). The key is stored
 * with the ticket, so a filing that failed can be tried again.
 */
export async function fileOnce(ctx: BotContext, deps: BotDeps, draft: Draft, key: string): Promise<boolean> {
  try {
    await fileOrAskAddress(ctx, deps, { ...draft, onceKey: key });
    return true;
  } catch (e) {
    if (isAppError(e, 'already_filed')) return false;
    throw e;
  }
}

/** Answers to "where do you live?": the community must be one the organisation serves. */
export function addressFeature(deps: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const { core, classifier } = deps;

  async function saveAddress(ctx: BotContext, text: string): Promise<boolean> {
    const communities = core.org.config.communities;
    const communityId = classifier.classify(text, { communities }).hints.communityId ?? longestCommunityIn(text, communities);
    if (!communityId) {
      await ctx.reply(ctx.t('report.address_not_found', { hotline: core.org.config.company.hotline }));
      return false;
    }
    ctx.resident = await setResidentAddress(core, { residentId: ctx.resident.id, communityId, address: text.slice(0, 200) });
    await ctx.reply(ctx.t('report.address_saved', { community: core.org.communities.get(communityId)!.name, address: ctx.resident.address }));
    return true;
  }

  c.filter(answers('address'), async (ctx) => {
    if (!(await saveAddress(ctx, answerText(ctx).trim()))) return void (await askFor(ctx, 'address', ctx.prompt.vars, 'address_placeholder'));
    const category = categoryFromLabel(ctx.prompt.vars.category) ?? 'other';
    const kind = kindFromLabel(ctx.prompt.vars.kind) ?? 'complaint';
    const description = ctx.prompt.vars.text || tt(ctx.locale, 'report.tap_description', { category: categoryLabel(ctx.locale, category) });
    if (!(await fileOnce(ctx, deps, { kind, category, description }, onceKey(ctx, 'address', ctx.message?.reply_to_message?.message_id)))) {
      await ctx.reply(ctx.t('report.already_filed'));
    }
  });

  c.filter(answers('paid_address'), async (ctx) => {
    if (!(await saveAddress(ctx, answerText(ctx).trim()))) return void (await askFor(ctx, 'paid_address', ctx.prompt.vars, 'address_placeholder'));
    const materials = LOCALES.some((l) => tt(l, 'prices.materials.own') === ctx.prompt.vars.materials) ? 'own' : 'company';
    if (!(await fileOnce(ctx, deps, paidDraft(ctx, materials), onceKey(ctx, 'paid_address', ctx.message?.reply_to_message?.message_id)))) {
      await ctx.reply(ctx.t('report.already_filed'));
    }
  });

  return c;
}

export function paidDraft(ctx: BotContext, materials: 'company' | 'own'): Draft {
  return {
    kind: 'paid_service',
    category: 'other',
    description: ctx.t('prices.description', { materials: ctx.t(`prices.materials.${materials}`) }),
    paidMaterials: materials,
  };
}

function longestCommunityIn(text: string, communities: readonly { id: string; name: string; aliases: string[] }[]): string | undefined {
  let best: { id: string; n: number } | undefined;
  for (const c of communities)
    for (const n of [c.name, ...c.aliases]) if (n && text.includes(n) && (!best || n.length > best.n)) best = { id: c.id, n: n.length };
  return best?.id;
}
