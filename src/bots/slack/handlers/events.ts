/** Events API: a mention of the app answers, in the thread, with what it can do. */
import type { App } from '@slack/bolt';
import { renderCtx, type SlackDeps } from '../kit.js';
import { tr } from '../render/names.js';
import type { EventArgs } from './types.js';

export function registerEvents(app: App, d: SlackDeps): void {
  app.event('app_mention', async (args) => {
    const { event, client } = args as unknown as EventArgs;
    if (!event.channel) return;
    await client.chat.postMessage({ channel: event.channel, thread_ts: event.thread_ts ?? event.ts, text: tr(renderCtx(d), 'help') } as never);
  });
}
