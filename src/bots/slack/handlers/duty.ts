/**
 * /duty (R4): with no words, who is on duty now for the asker's place (their branch, or the
 * centre) and its latest handovers and duty log; `/duty 2` (or the button for older entries) the page
 * before; any other words are written to the duty log, as before. Answers are ephemeral.
 */
import type { App } from '@slack/bolt';
import { addDutyEntry } from '../../../core/duty/add-duty-entry.js';
import { dutyHistory } from '../../../core/duty/duty-history.js';
import { formatMinute } from '../../../core/local-time.js';
import type { Staff } from '../../../core/org/types.js';
import { errorText, renderCtx, staffFor, tell, type SlackDeps } from '../kit.js';
import { DUTY_MORE, dutyOverview } from '../render/duty.js';
import { branchName, tr } from '../render/names.js';
import { whereClicked, type ActionArgs, type CommandArgs } from './types.js';

/** `/duty`, `/duty 2`: a page number (1 to 999); anything else is a log entry. */
const PAGE = /^\d{1,3}$/;

function readPage(raw: string | undefined): number | undefined {
  try {
    const page = (JSON.parse(raw ?? '') as { page?: unknown }).page;
    return typeof page === 'number' && Number.isSafeInteger(page) && page >= 1 && page < 1000 ? page : undefined;
  } catch {
    return undefined;
  }
}

export function registerDuty(app: App, d: SlackDeps): void {
  const overview = async (staff: Staff, page: number) => {
    const history = await dutyHistory(d.core, { branchId: staff.branchId, page });
    return dutyOverview(renderCtx(d), staff.branchId, history);
  };

  app.command('/duty', async (args) => {
    const a = args as unknown as CommandArgs;
    await a.ack();
    const ctx = renderCtx(d);
    const to = { user: a.command.user_id, channel: a.command.channel_id, respond: a.respond };
    const staff = staffFor(d, a.command.user_id);
    if (!staff) return tell(a.client, d, to, tr(ctx, 'refuse.not_staff'));
    const text = a.command.text.trim();
    try {
      if (!text || PAGE.test(text)) {
        const m = await overview(staff, text ? Math.max(1, Number(text)) : 1);
        return tell(a.client, d, to, m.text, m.blocks);
      }
      const entry = await addDutyEntry(d.core, { staffId: staff.id, text });
      await tell(a.client, d, to, tr(ctx, 'command.duty_logged', { at: formatMinute(entry.at), place: branchName(ctx, entry.branchId) }));
    } catch (e) {
      await tell(a.client, d, to, await errorText(d, e));
    }
  });

  app.action(DUTY_MORE, async (args) => {
    const a = args as unknown as ActionArgs;
    await a.ack();
    const to = { user: a.body.user.id, channel: whereClicked(a.body).ch };
    const page = readPage(a.action.value);
    const staff = staffFor(d, a.body.user.id);
    if (!page) return;
    if (!staff) return tell(a.client, d, to, tr(renderCtx(d), 'refuse.not_staff'));
    try {
      const m = await overview(staff, page);
      await tell(a.client, d, to, m.text, m.blocks);
    } catch (e) {
      await tell(a.client, d, to, await errorText(d, e));
    }
  });
}
