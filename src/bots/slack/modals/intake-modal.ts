/**
 * /intake: the centre (or a branch, R1.2) records a complaint taken by phone, letter or visit
 * (R3) with the caller's details; whoever records it is the first responder (R1). The community
 * suggestion boxes' contents are entered here too, as source suggestion_box (R5), with or without a
 * name. The scope (primary: the network the company answers for; secondary: in the building or flat) decides which R27 limit a repair is judged by;
 * left empty, the classifier's reading of the description fills it in (scopeOf).
 */
import type { types } from '@slack/bolt';
import { CATEGORIES, SCOPES, SEVERITIES, TICKET_KINDS, type Category, type Scope, type Severity, type TicketKind } from '../../../core/domain.js';
import type { Staff } from '../../../core/org/types.js';
import { option, type Block } from '../render/blocks.js';
import { branchName, common, tr, type RenderCtx } from '../render/names.js';
import { modal, radioInput, selectInput, textInput } from './elements.js';
import { fieldValue, type ModalOrigin, type ViewLike } from './view-state.js';

export const INTAKE_VIEW = 'ticket.intake';
export const INTAKE_SOURCES = ['hotline', 'letter', 'visit', 'branch_direct', 'suggestion_box'] as const;
export type IntakeSource = (typeof INTAKE_SOURCES)[number];

export function intakeModal(ctx: RenderCtx, staff: Staff, from: ModalOrigin): types.ModalView {
  const branches = [...ctx.org.branches.values()];
  const communityGroups = branches.map((b) => ({
    label: branchName(ctx, b.id),
    options: ctx.org.config.communities.filter((c) => c.branchId === b.id).map((c) => option(c.name, c.id)),
  }));
  const blocks: Block[] = [
    selectInput(
      'kind',
      tr(ctx, 'intake.kind'),
      TICKET_KINDS.map((k) => option(common(ctx, `kind.${k}`), k)),
      { initial: 'complaint' },
    ),
    selectInput(
      'category',
      tr(ctx, 'intake.category'),
      CATEGORIES.map((c) => option(common(ctx, `category.${c}`), c)),
      { initial: 'no_heat' },
    ),
    radioInput(
      'source',
      tr(ctx, 'intake.source'),
      INTAKE_SOURCES.map((s) => option(common(ctx, `source.${s}`), s)),
      { initial: staff.branchId ? 'branch_direct' : 'hotline' },
    ),
    radioInput(
      'scope',
      tr(ctx, 'suggestions.scope.label'),
      SCOPES.map((s) => option(tr(ctx, `suggestions.scope.${s}`), s)),
      { optional: true },
    ),
    selectInput(
      'severity',
      tr(ctx, 'intake.severity'),
      SEVERITIES.map((s) => option(common(ctx, `severity.${s}`), s)),
      { optional: true },
    ),
    textInput('contact_name', tr(ctx, 'intake.contact_name'), { optional: true, max: 50 }),
    textInput('phone', tr(ctx, 'intake.phone'), { optional: true, max: 20 }),
    textInput('account', tr(ctx, 'intake.account'), { optional: true, max: 20, placeholder: tr(ctx, 'intake.account_hint') }),
    selectInput('community', tr(ctx, 'intake.community'), [], { optional: true, groups: communityGroups.filter((g) => g.options.length) }),
    textInput('address', tr(ctx, 'intake.address'), { optional: true, max: 200 }),
    textInput('description', tr(ctx, 'intake.description'), { multiline: true, max: 4000 }),
  ];
  return modal(INTAKE_VIEW, tr(ctx, 'intake.title'), tr(ctx, 'modal.submit'), tr(ctx, 'modal.cancel'), blocks, from);
}

export interface IntakeInput {
  kind: TicketKind;
  category: Category;
  source: IntakeSource;
  /** unset: the classifier's reading of the description (the handler fills it in) */
  scope?: Scope;
  severity?: Severity;
  contactName?: string;
  contactPhone?: string;
  customerAccount?: string;
  communityId?: string;
  address?: string;
  description: string;
}

export function readIntake(ctx: RenderCtx, view: ViewLike): { ok: true; value: IntakeInput } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const kind = fieldValue(view, 'kind') as TicketKind | undefined;
  const category = fieldValue(view, 'category') as Category | undefined;
  const source = fieldValue(view, 'source') as IntakeSource | undefined;
  const severity = fieldValue(view, 'severity') as Severity | undefined;
  const scope = fieldValue(view, 'scope') as Scope | undefined;
  const phone = fieldValue(view, 'phone');
  const account = fieldValue(view, 'account');
  const communityId = fieldValue(view, 'community');
  const description = fieldValue(view, 'description');
  if (!kind || !TICKET_KINDS.includes(kind)) errors.kind = tr(ctx, 'intake.error_choose');
  if (!category || !CATEGORIES.includes(category)) errors.category = tr(ctx, 'intake.error_choose');
  if (!source || !INTAKE_SOURCES.includes(source)) errors.source = tr(ctx, 'intake.error_choose');
  if (severity && !SEVERITIES.includes(severity)) errors.severity = tr(ctx, 'intake.error_choose');
  if (scope && !SCOPES.includes(scope)) errors.scope = tr(ctx, 'intake.error_choose');
  if (phone && !/^\+?[\d\s-]{5,20}$/.test(phone)) errors.phone = tr(ctx, 'intake.error_phone');
  if (account && !/^\d{4,20}$/.test(account)) errors.account = tr(ctx, 'intake.error_account');
  if (communityId && !ctx.org.communities.has(communityId)) errors.community = tr(ctx, 'intake.error_choose');
  if (!description) errors.description = tr(ctx, 'intake.error_description');
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    value: {
      kind: kind!,
      category: category!,
      source: source!,
      scope,
      severity,
      contactName: fieldValue(view, 'contact_name'),
      contactPhone: phone?.replace(/\s/g, ''),
      customerAccount: account,
      communityId,
      address: fieldValue(view, 'address'),
      description: description!,
    },
  };
}

/** Reads the scope of a description: the trained classifier of the service, or the keyword rules without one. */
export interface ScopeReader {
  classify(text: string): { scope: Scope };
}

/** The scope staff chose, else the classifier's reading of the description (a burst main phoned in is primary: R27). */
export function scopeOf(input: Pick<IntakeInput, 'scope' | 'description'>, reader: ScopeReader): { scope: Scope; guessed: boolean } {
  return input.scope ? { scope: input.scope, guessed: false } : { scope: reader.classify(input.description).scope, guessed: true };
}
