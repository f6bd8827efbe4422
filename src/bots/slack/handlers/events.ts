/** Events API: a mention of the app answers, in the thread, with what it can do. */
import type { App } from '@slack/bolt';
import { renderCtx, type SlackDeps } from '../kit.js';
import { tr } from '../render/names.js';
import type { EventArgs } from './types.js';

export function registerEvents(app: App, d: SlackDeps): void {
  app.event('app_mention', async (args) => {
    const { event, client } = args as unknown as EventArgs;
    if (!event.channel) return;
    const thread = event.thread_ts ?? event.ts;
    await client.chat.postMessage({ channel: event.channel, text: tr(renderCtx(d), 'help'), ...(thread ? { thread_ts: thread } : {}) });
  });
}
