/**
 * Filing a resident's report, and the one thing the bot may have to ask first: where they live.
 * A bound resident's flat is known; anyone else is asked once for their community and flat,
 * which is kept on their Resident row for later reports (unverified, see file-resident-report).
 * A leak does not wait for the answer: it is filed at once into the centre's triage queue and
 * the answer then routes it (clarify-report-address). Words that name no community we serve
 * file the report to the centre with those words, rather than asking again. The question offers
 * a one-tap phone share, and keeps the classifier's severity and scope for the answer.
 */
import { Composer, Keyboard } from 'grammy';
import { SCOPES, SEVERITIES, type Category, type Scope, type Severity, type TicketKind } from '../../../core/domain.js';
import { clarifyReportAddress } from '../../../core/residents/clarify-report-address.js';
import { fileResidentReport, needsAddress, residentHasAddress } from '../../../core/residents/file-resident-report.js';
import { setResidentAddress } from '../../../core/residents/set-resident-address.js';
import { CATEGORIES, TICKET_KINDS } from '../../../core/domain.js';
import { LOCALES } from '../../../i18n/index.js';
import { isAppError } from '../../../core/errors.js';
import type { Ticket } from '../../../core/model.js';
import { filedReplyKey } from '../../../core/tickets/create-ticket.js';
import type { BotContext, BotDeps } from '../context.js';
import { tt } from '../context.js';
import { answers, answerText, type PromptContext } from '../prompt-filter.js';
import { receiptOf } from '../dedupe.js';
import { askFor, mainMenu, onceKey, replyLong } from '../replies.js';
import { confirmLinked } from './incident.js';
import { branchName, categoryLabel, filedReply, kindLabel } from '../render.js';

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
  /** a leak filed before its address is known: it waits in the centre's triage queue for the answer */
  addressLater?: boolean;
  /** where the resident said they live, in words that named no community we serve (filed to the centre) */
  typedAddress?: string;
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
  if (needsAddress(draft.kind) && !residentHasAddress(ctx.resident) && !draft.typedAddress && !draft.addressLater) {
    if (draft.category === 'leak' && !draft.paidMaterials) return fileLeakFirst(ctx, deps, draft);
    await askAddress(ctx, draft);
    return null;
  }
  const receipt = receiptOf(ctx);
  // The keys this update has not stored yet: a second report filed by the same update ("file them
  // all" on several problems) carries only its own key, the update's went with the first.
  const onceKeys = [...(receipt?.unstored ?? []), ...(draft.onceKey ? [draft.onceKey] : [])];
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
    addressLater: draft.addressLater,
    typedAddress: draft.typedAddress,
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
  // linked to an open incident: what is known about the repair instead (features/incident.ts)
  if (ticket.incidentId) return confirmLinked(ctx, deps, ticket, replyTo);
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

/**
 * Water does not wait for a question: the leak is filed now (its number and the emergency
 * hotline go out at once) into the centre's triage queue, and then the address is asked; the
 * answer routes the ticket to its branch.
 */
async function fileLeakFirst(ctx: BotContext, deps: BotDeps, draft: Draft): Promise<Ticket | null> {
  const ticket = await fileOrAskAddress(ctx, deps, { ...draft, addressLater: true });
  if (ticket) await askFor(ctx, 'clarify_address', { number: ticket.number }, 'address_placeholder', { keyboard: phoneKeyboard(ctx) });
  return ticket;
}

/** "Where do you live?", keeping what the answer needs to file the draft as it was understood. */
async function askAddress(ctx: BotContext, draft: Draft): Promise<void> {
  const keyboard = phoneKeyboard(ctx);
  if (draft.paidMaterials) {
    await askFor(ctx, 'paid_address', { materials: ctx.t(`prices.materials.${draft.paidMaterials}`) }, 'address_placeholder', { keyboard });
    return;
  }
  const hidden: Record<string, string> = {};
  if (draft.severity) hidden.severity = draft.severity;
  if (draft.scope) hidden.scope = draft.scope;
  if (draft.replyTo) hidden.replyTo = String(draft.replyTo);
  await askFor(
    ctx,
    'address',
    { kind: kindLabel(ctx.locale, draft.kind), category: categoryLabel(ctx.locale, draft.category), text: draft.description.slice(0, 3000) },
    'address_placeholder',
    { hidden, keyboard },
  );
}

/** One tap leaves the phone number with the question (a reply keyboard: ForceReply cannot go with it). */
function phoneKeyboard(ctx: BotContext): Keyboard {
  return new Keyboard().requestContact(ctx.t('conversation.share_phone')).resized().oneTime();
}

const asSeverity = (s: string | undefined): Severity | undefined => SEVERITIES.find((x) => x === s);
const asScope = (s: string | undefined): Scope | undefined => SCOPES.find((x) => x === s);

/** Answers to "where do you live?": the community must be one the organisation serves. */
export function addressFeature(deps: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const { core, classifier } = deps;

  /** The community the words name, saved as the resident's place (with the main menu back); null when they name none. */
  async function saveAddress(ctx: BotContext, text: string, quiet = false): Promise<string | null> {
    const communities = core.org.config.communities;
    const communityId = classifier.classify(text, { communities }).hints.communityId ?? longestCommunityIn(text, communities);
    if (!communityId) return null;
    ctx.resident = await setResidentAddress(core, { residentId: ctx.resident.id, communityId, address: text.slice(0, 200) });
    if (quiet) return communityId;
    await ctx.reply(ctx.t('report.address_saved', { community: core.org.communities.get(communityId)!.name, address: ctx.resident.address }), {
      reply_markup: mainMenu(ctx.locale, ctx.resident.customerId !== null),
    });
    return communityId;
  }

  /** Files the draft where the words say, or to the centre with the words (after one try: no loop of "not found"). */
  async function fileAt(ctx: PromptContext, text: string, draft: Draft, what: string): Promise<void> {
    const known = await saveAddress(ctx, text);
    const filed = await fileOnce(ctx, deps, known ? draft : { ...draft, typedAddress: text }, onceKey(ctx, what, ctx.prompt.messageId));
    if (!filed) return void (await ctx.reply(ctx.t('report.already_filed')));
    if (!known) await ctx.reply(ctx.t('conversation.address_to_centre', { address: text.slice(0, 200) }), { reply_markup: mainMenu(ctx.locale, false) });
  }

  c.filter(answers('address'), async (ctx) => {
    const text = answerText(ctx).trim();
    const v = ctx.prompt.vars;
    if (!text) {
      const { kind, category, text: quoted, ...hidden } = v;
      return void (await askFor(ctx, 'address', { kind, category, text: quoted }, 'address_placeholder', { hidden }));
    }
    const category = categoryFromLabel(v.category) ?? 'other';
    const kind = kindFromLabel(v.kind) ?? 'complaint';
    const description = v.text || tt(ctx.locale, 'report.tap_description', { category: categoryLabel(ctx.locale, category) });
    const replyTo = Number(v.replyTo) || undefined;
    await fileAt(ctx, text, { kind, category, severity: asSeverity(v.severity), scope: asScope(v.scope), description, replyTo }, 'address');
  });

  c.filter(answers('paid_address'), async (ctx) => {
    const text = answerText(ctx).trim();
    if (!text) return void (await askFor(ctx, 'paid_address', ctx.prompt.vars, 'address_placeholder'));
    const materials = LOCALES.some((l) => tt(l, 'prices.materials.own') === ctx.prompt.vars.materials) ? 'own' : 'company';
    await fileAt(ctx, text, paidDraft(ctx, materials), 'paid_address');
  });

  // The place of a leak filed first: routes it to the branch, or leaves it with the centre to confirm.
  c.filter(answers('clarify_address'), async (ctx) => {
    const text = answerText(ctx).trim();
    const number = ctx.prompt.vars.number?.trim();
    if (!text || !number) return void (await askFor(ctx, 'clarify_address', ctx.prompt.vars, 'address_placeholder'));
    const communityId = residentHasAddress(ctx.resident) ? findCommunity(text) : await saveAddress(ctx, text, true);
    const r = await clarifyReportAddress(core, { residentId: ctx.resident.id, number, communityId, address: text });
    const menu = { reply_markup: mainMenu(ctx.locale, ctx.resident.customerId !== null) };
    if (r.outcome === 'dispatched') {
      const community = core.org.communities.get(r.ticket.communityId!)!.name;
      const branch = branchName(core.org, r.ticket.branchId, ctx.locale);
      await ctx.reply(ctx.t('conversation.clarified', { number, community, address: r.ticket.address, branch }), menu);
    } else if (r.outcome === 'to_centre') {
      await ctx.reply(ctx.t('conversation.address_to_centre', { address: text.slice(0, 200) }), menu);
    } else {
      await ctx.reply(ctx.t('conversation.clarify_noted', { number }), menu);
    }
  });

  function findCommunity(text: string): string | null {
    const communities = core.org.config.communities;
    return classifier.classify(text, { communities }).hints.communityId ?? longestCommunityIn(text, communities) ?? null;
  }

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
