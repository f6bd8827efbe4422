/**
 * The parts of Bolt's listener arguments this app uses, typed once. Bolt's own generics for
 * every payload kind are exact but heavy; listeners here read a few fields of each body.
 */
import type { webApi } from '@slack/bolt';

export type WebClient = webApi.WebClient;

export interface ActionArgs {
  ack: (response?: unknown) => Promise<void>;
  body: {
    user: { id: string };
    channel?: { id: string };
    message?: { ts: string; blocks?: unknown[] };
    container?: { channel_id?: string; message_ts?: string };
    trigger_id?: string;
    actions?: { action_id: string; action_ts?: string }[];
  };
  action: { action_id: string; value?: string; selected_option?: { value: string } };
  client: WebClient;
}

export interface ViewArgs {
  ack: (response?: unknown) => Promise<void>;
  body: { user: { id: string }; view: ViewBody };
  view: ViewBody;
  client: WebClient;
}

export interface ViewBody {
  id: string;
  callback_id: string;
  private_metadata?: string;
  state?: { values?: Record<string, Record<string, any>> };
}

export interface CommandArgs {
  ack: (response?: unknown) => Promise<void>;
  command: { user_id: string; channel_id: string; text: string; trigger_id: string; command: string; response_url?: string };
  respond: (msg: Record<string, unknown>) => Promise<unknown>;
  client: WebClient;
}

export interface EventArgs {
  event: { type: string; user?: string; channel?: string; ts?: string; thread_ts?: string; text?: string };
  client: WebClient;
}

/** The channel and message a block action came from. */
export function whereClicked(body: ActionArgs['body']): { ch?: string; ts?: string } {
  return { ch: body.channel?.id ?? body.container?.channel_id, ts: body.message?.ts ?? body.container?.message_ts };
}
