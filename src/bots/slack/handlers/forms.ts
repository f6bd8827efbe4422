/**
 * /forms (R8l): the service forms not back at HQ half a month after the service. `/forms` lists
 * the asker's branch (the centre: every branch), `/forms <branch id>` or `/forms all` another,
 * with a page number after it if wanted. The centre's agents, leaders and admins mark a form back
 * with its "back at HQ" button, or a branch's bundle by service dates in the bulk modal. Answers are
 * ephemeral: only the person who asked sees them.
 */
import type { App } from '@slack/bolt';
import { AppError } from '../../../core/errors.js';
import { listForms } from '../../../core/forms/list-forms.js';
import { markFormReturned } from '../../../core/forms/mark-form-returned.js';
import { markFormsReturned } from '../../../core/forms/mark-forms-returned.js';
import { mayMarkForms } from '../../../core/forms/may-mark-forms.js';
import { formatMinute } from '../../../core/local-time.js';
import type { Staff } from '../../../core/org/types.js';
import { actorOf, errorText, refusalText, renderCtx, staffFor, tell, type Audience, type SlackDeps } from '../kit.js';
import { FORMS_BULK_VIEW, formsBulkModal, readFormsBulk } from '../modals/forms-bulk-modal.js';
import { origin } from '../modals/view-state.js';
import { FORMS_ACTION, formsListMessage, readFormsValue } from '../render/forms.js';
import { actorName, branchName, tr } from '../render/names.js';
import { whereClicked, type ActionArgs, type CommandArgs, type ViewArgs } from './types.js';

/** Ten forms a page: each is a line with its button, well inside a message's 50 blocks. */
export const FORMS_PAGE_SIZE = 10;

type ListArgs = { branchId?: string; page: number } | { unknown: string };

/** `/forms`, `/forms 2`, `/forms jinqiao`, `/forms all 3`: the branch (none: all) and the page. */
function readArgs(d: SlackDeps, staff: Staff, text: string): ListArgs {
  let branchId: string | undefined = staff.branchId ?? undefined;
  let page = 1;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (/^\d{1,6}$/.test(word)) page = Math.max(1, Number(word));
    else if (/^all$/i.test(word)) branchId = undefined;
    else if (d.core.org.branches.has(word)) branchId = word;
    else return { unknown: word };
  }
  return { branchId, page };
}

/** Form errors in the person's words: who marked it and when, or that the ticket has no form. */
function formErrorText(d: SlackDeps, e: unknown): Promise<string> | string {
  const ctx = renderCtx(d);
  if (e instanceof AppError && e.code === 'form_already_returned') {
    const at = e.context.at instanceof Date ? formatMinute(e.context.at) : '';
    return tr(ctx, 'forms.error_already', { number: String(e.context.number ?? ''), at, who: actorName(ctx, String(e.context.by ?? '')) });
  }
  if (e instanceof AppError && e.code === 'form_not_found') return tr(ctx, 'forms.error_not_found', { number: String(e.context.number ?? '') });
  if (e instanceof AppError && e.code === 'invalid_range') return tr(ctx, 'forms.error_range');
  return errorText(d, e);
}

export function registerForms(app: App, d: SlackDeps): void {
  const showList = async (staff: Staff, to: Audience, client: CommandArgs['client'], args: { branchId?: string; page: number }, note?: string) => {
    const ctx = renderCtx(d);
    const page = await listForms(d.core, { status: 'overdue', branchId: args.branchId, page: args.page, pageSize: FORMS_PAGE_SIZE });
    // a page past the end (the list shrank as forms came back) shows the last one
    const shown =
      page.page > page.pages ? await listForms(d.core, { status: 'overdue', branchId: args.branchId, page: page.pages, pageSize: FORMS_PAGE_SIZE }) : page;
    const m = formsListMessage(ctx, shown, { canMark: mayMarkForms(d.core.org, staff).allowed, note });
    await tell(client, d, to, m.text, m.blocks);
  };

  app.command('/forms', async (args) => {
    const a = args as unknown as CommandArgs;
    await a.ack();
    const ctx = renderCtx(d);
    const to = { user: a.command.user_id, channel: a.command.channel_id, respond: a.respond };
    const staff = staffFor(d, a.command.user_id);
    if (!staff) return tell(a.client, d, to, refusalText(ctx, 'not_staff'));
    const list = readArgs(d, staff, a.command.text ?? '');
    if ('unknown' in list) return tell(a.client, d, to, tr(ctx, 'forms.unknown_arg', { word: list.unknown, ids: [...d.core.org.branches.keys()].join(', ') }));
    try {
      await showList(staff, to, a.client, list);
    } catch (e) {
      await tell(a.client, d, to, await formErrorText(d, e));
    }
  });

  app.action(/^forms\.page\./, async (args) => {
    const a = args as unknown as ActionArgs;
    await a.ack();
    const to = { user: a.body.user.id, channel: whereClicked(a.body).ch };
    const v = readFormsValue(a.action.value);
    const staff = staffFor(d, a.body.user.id);
    if (!v) return;
    if (!staff) return tell(a.client, d, to, refusalText(renderCtx(d), 'not_staff'));
    try {
      await showList(staff, to, a.client, { branchId: v.b, page: v.p });
    } catch (e) {
      await tell(a.client, d, to, await formErrorText(d, e));
    }
  });

  app.action(FORMS_ACTION.returned, async (args) => {
    const a = args as unknown as ActionArgs;
    await a.ack();
    const ctx = renderCtx(d);
    const to = { user: a.body.user.id, channel: whereClicked(a.body).ch };
    const v = readFormsValue(a.action.value);
    const staff = staffFor(d, a.body.user.id);
    if (!v?.n) return;
    const may = mayMarkForms(d.core.org, staff);
    if (!may.allowed) return tell(a.client, d, to, refusalText(ctx, may.reason));
    try {
      const f = await markFormReturned(d.core, { number: v.n, actor: actorOf(staff!) });
      await showList(
        staff!,
        to,
        a.client,
        { branchId: v.b, page: v.p },
        tr(ctx, 'forms.marked', { number: f.ticketNumber, branch: branchName(ctx, f.branchId) }),
      );
    } catch (e) {
      await tell(a.client, d, to, await formErrorText(d, e));
    }
  });

  app.action(FORMS_ACTION.bulk, async (args) => {
    const a = args as unknown as ActionArgs;
    await a.ack();
    const ctx = renderCtx(d);
    const where = whereClicked(a.body);
    const staff = staffFor(d, a.body.user.id);
    const may = mayMarkForms(d.core.org, staff);
    if (!may.allowed) return tell(a.client, d, { user: a.body.user.id, channel: where.ch }, refusalText(ctx, may.reason));
    const v = readFormsValue(a.action.value);
    await a.client.views.open({ trigger_id: a.body.trigger_id!, view: formsBulkModal(ctx, { branchId: v?.b, channel: where.ch }) });
  });

  app.view(FORMS_BULK_VIEW, async (args) => {
    const a = args as unknown as ViewArgs;
    const ctx = renderCtx(d);
    const r = readFormsBulk(ctx, a.view);
    if (!r.ok) return a.ack({ response_action: 'errors', errors: r.errors });
    const staff = staffFor(d, a.body.user.id);
    const may = mayMarkForms(d.core.org, staff);
    if (!may.allowed) return a.ack({ response_action: 'errors', errors: { branch: refusalText(ctx, may.reason) } });
    try {
      const done = await markFormsReturned(d.core, { ...r.value, actor: actorOf(staff!) });
      await a.ack();
      await tell(
        a.client,
        d,
        { user: a.body.user.id, channel: origin(a.view).ch },
        tr(ctx, 'forms.bulk_done', { n: done.count, branch: branchName(ctx, done.branchId), from: done.from, to: done.to }),
      );
    } catch (e) {
      // a bad range answers in the modal, on the field it is about
      const field = e instanceof AppError && (e.context.field === 'from' || e.context.field === 'to') ? e.context.field : 'from';
      await a.ack({ response_action: 'errors', errors: { [field]: await formErrorText(d, e) } });
    }
  });
}
