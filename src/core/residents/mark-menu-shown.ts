/** Notes the first time the bot's menu keyboard went to a resident, so that it is attached once (menu-first.ts). */
import type { Core } from '../context.js';

export async function markMenuShown(core: Core, residentId: number): Promise<void> {
  await core.stores.residents.markMenuShown(residentId, core.clock.now());
}
