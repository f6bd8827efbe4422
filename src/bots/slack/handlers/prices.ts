/**
 * /prices (R11, R12): staff show the customer the price list before paid work. Branch staff get
 * their branch's list; the centre gets the company's, or a branch's with `/prices <branch id>`
 * (anyone may name a branch). The answer is ephemeral.
 */
import type { App } from '@slack/bolt';
import { renderCtx, refusalText, staffFor, tell, type SlackDeps } from '../kit.js';
import { tr } from '../render/names.js';
import { priceListMessage } from '../render/prices.js';
import type { CommandArgs } from './types.js';

export function registerPrices(app: App, d: SlackDeps): void {
  app.command('/prices', async (args) => {
    const a = args as unknown as CommandArgs;
    await a.ack();
    const ctx = renderCtx(d);
    const to = { user: a.command.user_id, channel: a.command.channel_id, respond: a.respond };
    const staff = staffFor(d, a.command.user_id);
    if (!staff) return tell(a.client, d, to, refusalText(ctx, 'not_staff'));
    const asked = (a.command.text ?? '').trim();
    if (asked && !d.core.org.branches.has(asked))
      return tell(a.client, d, to, tr(ctx, 'paid.unknown_branch', { branch: asked, ids: [...d.core.org.branches.keys()].join(', ') }));
    const m = priceListMessage(ctx, asked || staff.branchId);
    await tell(a.client, d, to, m.text, m.blocks);
  });
}
