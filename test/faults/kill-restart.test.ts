/**
 * The service killed mid-flight (SIGKILL, no goodbye) and started again over the same SQLite file
 * (issue 8): residents' updates in flight are redelivered by Telegram, staff click again, the
 * outbox picks up what was owed; nothing is lost and nothing arrives twice.
 */
import { describe, expect, it } from 'vitest';
import type { World } from '../../tools/sim/world.js';
import { expectWholeLoop, LONG, pick, runDrill } from './drill.js';

/** SIGKILL outside an outbox delivery (see Probe.waitOutboxIdle), then start again on the same database. */
async function killAndRestart(world: World): Promise<void> {
  await world.probe.waitOutboxIdle(15_000);
  await world.service.kill();
  await world.service.start();
}

describe('the service killed and restarted mid-flight', () => {
  it('loses nothing and doubles nothing', { timeout: pick(150_000, 900_000) }, async () => {
    const d = await runDrill({ play: { killAt: 0.5, residents: pick(6, 30) } });
    expect(d.result.kills).toBe(1);
    expect(d.world.service.starts).toBe(2);
    expect(d.world.service.crashes).toEqual([]);
    expectWholeLoop(d);
  });

  it.runIf(LONG)('survives three kills while both platforms fail a fifth of the calls', { timeout: 1_200_000 }, async () => {
    const d = await runDrill({
      play: { residents: 30, milestones: [0.25, 0.5, 0.75].map((at) => ({ at, run: killAndRestart })) },
      during: async (world) => world.setFaults({ slack: 0.2, telegram: 0.2 }),
    });
    expect(d.world.service.starts).toBe(4);
    expectWholeLoop(d);
  });
});
