/** Block Kit inputs for modals: block_id and action_id are both the field name (see view-state.ts). */
import type { types } from '@slack/bolt';
import { plain, type Block } from '../render/blocks.js';

type Opt = { text: ReturnType<typeof plain>; value: string };

export function textInput(
  field: string,
  label: string,
  o: { optional?: boolean; multiline?: boolean; placeholder?: string; initial?: string; max?: number } = {},
): Block {
  return {
    type: 'input',
    block_id: field,
    optional: o.optional ?? false,
    label: plain(label),
    element: {
      type: 'plain_text_input',
      action_id: field,
      multiline: o.multiline ?? false,
      ...(o.placeholder ? { placeholder: plain(o.placeholder) } : {}),
      ...(o.initial ? { initial_value: o.initial } : {}),
      ...(o.max ? { max_length: o.max } : {}),
    },
  };
}

export function selectInput(
  field: string,
  label: string,
  options: Opt[],
  o: { optional?: boolean; initial?: string; groups?: { label: string; options: Opt[] }[] } = {},
): Block {
  const all = o.groups ? o.groups.flatMap((g) => g.options) : options;
  const init = all.find((x) => x.value === o.initial);
  return {
    type: 'input',
    block_id: field,
    optional: o.optional ?? false,
    label: plain(label),
    element: {
      type: 'static_select',
      action_id: field,
      ...(o.groups ? { option_groups: o.groups.map((g) => ({ label: plain(g.label), options: g.options })) } : { options }),
      ...(init ? { initial_option: init } : {}),
    },
  };
}

export function radioInput(field: string, label: string, options: Opt[], o: { optional?: boolean; initial?: string } = {}): Block {
  const init = options.find((x) => x.value === o.initial);
  return {
    type: 'input',
    block_id: field,
    optional: o.optional ?? false,
    label: plain(label),
    element: { type: 'radio_buttons', action_id: field, options, ...(init ? { initial_option: init } : {}) },
  };
}

export function checkboxInput(field: string, label: string, options: Opt[], o: { optional?: boolean } = {}): Block {
  return { type: 'input', block_id: field, optional: o.optional ?? true, label: plain(label), element: { type: 'checkboxes', action_id: field, options } };
}

export function modal(callbackId: string, title: string, submit: string, close: string, blocks: Block[], privateMetadata: unknown): types.ModalView {
  return {
    type: 'modal',
    callback_id: callbackId,
    title: plain(title.slice(0, 24)),
    submit: plain(submit.slice(0, 24)),
    close: plain(close.slice(0, 24)),
    private_metadata: JSON.stringify(privateMetadata),
    // the builders here make Slack's block shapes; Block is their loose common type
    blocks: blocks as types.AnyBlock[],
  };
}
